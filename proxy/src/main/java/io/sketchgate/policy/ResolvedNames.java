package io.sketchgate.policy;

import com.github.benmanes.caffeine.cache.Cache;
import io.sketchgate.caches.Caches;
import io.sketchgate.esapi.ResolvedIndices;
import java.util.List;

/**
 * {@link ResolvedIndices#names()} once per resolution. A resolution is one cached instance for its expression until
 * the index cache refreshes it, and every governed request asked for its names again (two sorted sets each time).
 *
 * <p>Keyed by identity (weak keys): a refreshed resolution is another instance with its own names, and a
 * resolution the index cache dropped is dropped here too. Bounded besides.
 */
final class ResolvedNames {
    static final long MAX_ENTRIES = 10_000;

    private final Cache<ResolvedIndices, List<String>> names =
            Caches.newBuilder().weakKeys().maximumSize(MAX_ENTRIES).build();

    /** The names, in {@link ResolvedIndices#names()} order; immutable. */
    List<String> of(ResolvedIndices resolved) {
        return names.get(resolved, r -> List.copyOf(r.names()));
    }
}
