package io.sketchgate.caches;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachesTest {
    @Test
    void aCacheKeepsItselfUpOnTheThreadThatWritesIt_neverInThePool() {
        List<String> removals = new ArrayList<>();
        Cache<String, String> cache = Caches.newBuilder()
                .maximumSize(1)
                .removalListener((String key, String value, RemovalCause cause) -> removals.add(
                        key + " " + cause + " on " + Thread.currentThread().getName()))
                .build();

        cache.put("first", "1");
        cache.put("second", "2");

        // no cleanUp() and no waiting: the eviction and its listener ran inside the second put, on this thread
        assertThat(removals)
                .containsExactly("first SIZE on " + Thread.currentThread().getName());
        assertThat(cache.asMap()).containsOnlyKeys("second");
    }
}
