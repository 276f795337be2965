package io.sketchgate.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sketchgate.transport.FinishedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class UsageRecorderTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-25T10:15:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final UsageRecorder recorder = new UsageRecorder(() -> now.get(), 3, registry);

    @Test
    void countsPerUserAndHour_includingRejectionsQueueWaitsEsTimeAndBytes() {
        recorder.finished(allowed("alice", 10, 200, 7));
        recorder.finished(allowed("alice", 5, 100, 3));
        recorder.finished(new FinishedRequest(
                "alice", FinishedRequest.Decision.REJECTED, "rate_limit", 429, 0, 150, -1, 1_000, -1));
        recorder.queueWaited("alice", 2_400_000);
        recorder.identified("alice", Set.of("analyst"));

        List<UsageDelta> deltas = recorder.drain();

        assertThat(deltas)
                .containsExactly(new UsageDelta(
                        "alice",
                        Instant.parse("2026-11-25T10:00:00Z"),
                        Set.of("analyst"),
                        3,
                        Map.of("rate_limit", 1L),
                        1,
                        2,
                        10,
                        15,
                        450));
        assertThat(recorder.drain()).isEmpty(); // drained means written: nothing twice
    }

    @Test
    void anonymousAndApiRequestsAreNotCharged() {
        recorder.finished(allowed("-", 10, 10, 1));
        recorder.finished(new FinishedRequest("admin", FinishedRequest.Decision.API, null, 200, 0, 10, -1, 1, -1));
        assertThat(recorder.drain()).isEmpty();
    }

    @Test
    void aFailedFlushIsRestored_andPastHoursLeaveMemory() {
        recorder.finished(allowed("alice", 1, 1, 1));
        List<UsageDelta> unwritten = recorder.drain();
        now.set(now.get().plus(Duration.ofHours(1)));
        recorder.finished(allowed("alice", 1, 1, 1));
        unwritten.forEach(recorder::restore);

        assertThat(recorder.drain())
                .extracting(UsageDelta::hour, UsageDelta::requests)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-11-25T10:00:00Z"), 1L),
                        org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-11-25T11:00:00Z"), 1L));
        recorder.finished(allowed("bob", 1, 1, 1));
        assertThat(recorder.drain()).extracting(UsageDelta::user).containsExactly("bob"); // 10:00 is gone
    }

    @Test
    void beyondMaxEntries_requestsAreCountedAsDroppedOnly() {
        for (String user : List.of("a", "b", "c", "d")) {
            recorder.finished(allowed(user, 1, 1, 1));
        }
        assertThat(recorder.drain()).extracting(UsageDelta::user).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(registry.get(SketchgateMetrics.USAGE_DROPPED).counter().count())
                .isEqualTo(1);
    }

    private static FinishedRequest allowed(String user, long bytesIn, long bytesOut, long took) {
        return new FinishedRequest(
                user, FinishedRequest.Decision.ALLOWED, null, 200, bytesIn, bytesOut, 5, 6_000_000, took);
    }
}
