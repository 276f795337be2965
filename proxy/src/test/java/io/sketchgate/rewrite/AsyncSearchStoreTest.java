package io.sketchgate.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lifecycle of the async-search ids Sketchgate hands out. */
class AsyncSearchStoreTest {
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AsyncSearchStore store = new AsyncSearchStore(clock);
    private final ObjectNode response = JsonNodeFactory.instance.objectNode().put("took", 3);

    @Test
    void completedWithoutKeep_hasNoId_andIsNotStored() {
        ObjectNode envelope = store.complete(response, "alice", clock.millis() - 5, Duration.ofMinutes(1), false);

        assertThat(envelope.has("id")).isFalse();
        assertThat(envelope.path("is_running").asBoolean(true)).isFalse();
        assertThat(envelope.path("expiration_time_in_millis").asLong()).isEqualTo(clock.millis() + 60_000);
        assertThat(envelope.path("start_time_in_millis").asLong()).isEqualTo(clock.millis() - 5);
        assertThat(envelope.path("response")).isEqualTo(response);
        assertThat(store.size()).isZero();
    }

    @Test
    void keptSearch_isServedToItsOwnerOnly_untilItExpires() {
        String id = store.complete(response, "alice", clock.millis(), Duration.ofMinutes(1), true)
                .path("id")
                .asText();

        assertThat(store.owns(id)).isTrue();
        assertThat(store.get(id, "alice", Optional.empty()).orElseThrow().path("response"))
                .isEqualTo(response);
        assertThat(store.get(id, "bob", Optional.empty())).isEmpty();
        assertThat(store.status(id, "alice")
                        .orElseThrow()
                        .path("completion_status")
                        .asInt())
                .isEqualTo(200);

        clock.advance(Duration.ofSeconds(61));
        assertThat(store.get(id, "alice", Optional.empty())).isEmpty();
        assertThat(store.owns(id))
                .as("still answered here (404), never sent to Elasticsearch")
                .isTrue();
    }

    @Test
    void getWithKeepAlive_extendsTheExpiry() {
        String id = store.complete(response, "alice", clock.millis(), Duration.ofMinutes(1), true)
                .path("id")
                .asText();

        clock.advance(Duration.ofSeconds(50));
        store.get(id, "alice", Optional.of(Duration.ofMinutes(5)));
        clock.advance(Duration.ofMinutes(2));

        assertThat(store.get(id, "alice", Optional.empty())).isPresent();
    }

    @Test
    void delete_byAnotherUser_isNotFound_byTheOwner_removesIt() {
        String id = store.complete(response, "alice", clock.millis(), Duration.ofMinutes(1), true)
                .path("id")
                .asText();

        assertThat(store.delete(id, "bob")).isFalse();
        assertThat(store.delete(id, "alice")).isTrue();
        assertThat(store.get(id, "alice", Optional.empty())).isEmpty();
        assertThat(store.delete(id, "alice")).isFalse();
    }

    @Test
    void ids_areDistinct_andUrlSafe() {
        String a = store.complete(response, "alice", 0, Duration.ofMinutes(1), true)
                .path("id")
                .asText();
        String b = store.complete(response, "alice", 0, Duration.ofMinutes(1), true)
                .path("id")
                .asText();

        assertThat(a).isNotEqualTo(b).matches("[A-Za-z0-9_-]{43}");
    }
}
