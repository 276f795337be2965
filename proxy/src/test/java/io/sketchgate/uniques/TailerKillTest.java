package io.sketchgate.uniques;

import static io.sketchgate.uniques.RealtimeTailerTest.await;
import static io.sketchgate.uniques.RealtimeTailerTest.batch;
import static io.sketchgate.uniques.RealtimeTailerTest.serialized;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.ConfigLoader;
import io.sketchgate.config.EdgeReads;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.SketchgateProcess;
import io.sketchgate.testing.TestElasticsearch;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.elasticsearch.client.ResponseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A proxy killed with SIGKILL while tailing: after a restart the sketches equal an uninterrupted tailer's. */
@RealElasticsearch
class TailerKillTest {
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(1);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void proxyKilledWhileTailing_restartsFromItsSavedState_withTheSketchesOfAnUninterruptedRun(
            TestElasticsearch es, @TempDir Path dir) throws Exception {
        String index = RealtimeTailerTest.events(es, "rt-kill");
        String name = IndexNames.unique("killed");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        es.requests().bulkIndex(index, batch(now.minus(Duration.ofMinutes(20)), 0, 30));
        Path config = ProxyUnderTest.forElasticsearch(es.baseUri())
                .yaml("""
                        unique_counts:
                          - name: %s
                            source: "%s"
                            unique_field: user_id
                            dimensions: [country, device]
                            granularity: 1h
                            lateness: 1h
                            realtime: { poll_interval: 200ms, persist_interval: 200ms, overlap: 0s, schedule: false }
                        """.formatted(name, index))
                .write(dir);
        Process child = SketchgateProcess.start(
                List.of("-Xmx128m"), dir.resolve("child.log"), "run", "--config", config.toString());
        try {
            Instant firstBatchEnd = now.minus(Duration.ofMinutes(20)).plusSeconds(29);
            await(
                    "the child saved the first batch",
                    Duration.ofSeconds(60),
                    () -> savedCursor(es, name)
                            .map(cursor -> !cursor.isBefore(firstBatchEnd))
                            .orElse(false));
            es.requests().bulkIndex(index, batch(now.minus(Duration.ofMinutes(10)), 25, 20));
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook saves anything
            child.waitFor(10, TimeUnit.SECONDS);
        }
        es.requests().bulkIndex(index, batch(now.minus(Duration.ofMinutes(5)), 40, 10));
        UniqueCountDefinition killed = new ConfigLoader(Map.of())
                .load(config)
                .uniqueCounts()
                .definition(name)
                .orElseThrow();
        UniqueCountDefinition uninterrupted = killed.withRealtime(killed.realtime());

        RealtimeTailer restarted = new RealtimeTailer(es.client(), killed, Clock.systemUTC(), executor);
        RealtimeTailer fresh = new RealtimeTailer(
                es.client(),
                new UniqueCountDefinition(
                        IndexNames.unique("fresh"),
                        uninterrupted.source(),
                        uninterrupted.timeField(),
                        uninterrupted.uniqueField(),
                        uninterrupted.dimensions(),
                        uninterrupted.granularity(),
                        uninterrupted.timeZones(),
                        uninterrupted.precision(),
                        uninterrupted.lateness(),
                        uninterrupted.maxExactValues(),
                        uninterrupted.realtime(),
                        uninterrupted.kibanaRewrite(),
                        EdgeReads.DEFAULT),
                Clock.systemUTC(),
                executor);
        try (restarted;
                fresh) {
            restarted.start();
            fresh.start();
            await(
                    "both polled",
                    Duration.ofSeconds(10),
                    () -> RealtimeTailerTest.polls(restarted) >= 1 && RealtimeTailerTest.polls(fresh) >= 1);
            // a poll's counters are published before its view (status is never behind the view): wait for the views
            await(
                    "both views hold their first poll",
                    Duration.ofSeconds(10),
                    () -> !fresh.granules().isEmpty()
                            && serialized(restarted.granules()).equals(serialized(fresh.granules())));

            assertThat(restarted.status().get("restored_from")).as("restored").isNotNull();
            // of 60 events, at most the 30 of the last two batches and the one at the saved cursor are read again
            assertThat(((Number) restarted.status().get("last_poll_hits")).longValue())
                    .as("re-read after the restart")
                    .isLessThanOrEqualTo(31);
            assertThat(serialized(restarted.granules()))
                    .isEqualTo(serialized(fresh.granules()))
                    .isNotEmpty();
            long users = restarted.granules().values().stream()
                    .filter(g -> !g.sketches().isEmpty()) // a granule read and found empty has none
                    .mapToLong(g -> g.sketches().get(RealtimeTailerTest.ALL).estimate())
                    .sum();
            assertThat(users).isBetween(50L, 60L); // 50 distinct users, split over at most two hours
        }
    }

    private static java.util.Optional<Instant> savedCursor(TestElasticsearch es, String name) {
        try {
            JsonNode state = es.requests().get("/" + TailerStore.INDEX + "/_doc/" + name + "-state");
            return java.util.Optional.of(
                    Instant.parse(state.path("_source").path("cursor").asText()));
        } catch (ResponseException e) {
            return java.util.Optional.empty();
        } catch (Exception e) {
            return java.util.Optional.empty();
        }
    }
}
