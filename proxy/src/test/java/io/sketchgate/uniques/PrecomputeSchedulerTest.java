package io.sketchgate.uniques;

import static io.sketchgate.uniques.RealtimeTailerTest.ALL;
import static io.sketchgate.uniques.RealtimeTailerTest.G10;
import static io.sketchgate.uniques.RealtimeTailerTest.G8;
import static io.sketchgate.uniques.RealtimeTailerTest.G9;
import static io.sketchgate.uniques.RealtimeTailerTest.NOW;
import static io.sketchgate.uniques.RealtimeTailerTest.await;
import static io.sketchgate.uniques.RealtimeTailerTest.batch;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.RealtimeSettings;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.config.UniqueCountsConfig;
import io.sketchgate.es.EsJson;
import io.sketchgate.testing.MovableClock;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service's scheduler on a clock the test moves: each newly closed granule is precomputed under the lease. */
@RealElasticsearch
class PrecomputeSchedulerTest {

    @Test
    void newlyClosedGranules_arePrecomputed_theTailerDropsThem_andALeaseHeldElsewhereIsWaitedFor(TestElasticsearch es)
            throws Exception {
        String index = RealtimeTailerTest.events(es, "rt-sched");
        es.requests().bulkIndex(index, batch(G8.plusSeconds(10), 0, 40));
        es.requests().bulkIndex(index, batch(G9.plusSeconds(10), 20, 30));
        es.requests().bulkIndex(index, batch(G10.plusSeconds(10), 30, 5));
        UniqueCountDefinition base = RealtimeTailerTest.definition(index, Duration.ofHours(1), Duration.ofMinutes(10));
        RealtimeSettings tailer = base.realtime();
        UniqueCountDefinition definition = base.withRealtime(new RealtimeSettings(
                true,
                tailer.pollInterval(),
                tailer.overlap(),
                tailer.persistInterval(),
                4,
                10_000,
                true,
                Duration.ofMillis(200)));
        MovableClock clock = new MovableClock(NOW);

        // the proxy's wiring: the scheduler tells the bucket catalogue, whose own refresh is too slow to matter
        try (BucketCatalogue catalogue = new BucketCatalogue(
                        es.client(), new SketchCache(SketchCache.DEFAULT_MAX_BYTES), Duration.ofHours(1), 0, clock);
                UniqueCountService service = UniqueCountService.start(
                        es.client(),
                        new UniqueCountDefinitions(new UniqueCountsConfig(List.of(definition))),
                        clock,
                        catalogue::written)) {
            catalogue.start(() -> List.of(definition));
            UvQueryEngine engine = new UvQueryEngine(es.client(), RealtimeSketches.NONE, catalogue, Runnable::run);
            // 10:30: 08:00 closed at 09:00 + 1h lateness; nothing precomputed yet, so from the oldest event
            await(
                    "08:00 precomputed",
                    Duration.ofSeconds(20),
                    () -> through(service, definition).equals(G9.toString()));
            assertThat(granuleUv(es, definition, G8)).isEqualTo(40);
            assertThat(job(service, definition).get("last_run")).asString().contains("outcome=completed");
            await(
                    "08:00 dropped by the tailer",
                    Duration.ofSeconds(5),
                    () -> service.granule(definition.name(), G8).isEmpty()
                            && service.granule(definition.name(), G9).isPresent());

            clock.set(NOW.plus(Duration.ofHours(1))); // 11:30: 09:00 closes
            await(
                    "09:00 precomputed",
                    Duration.ofSeconds(20),
                    () -> through(service, definition).equals(G10.toString()));
            assertThat(granuleUv(es, definition, G9)).isEqualTo(30);
            await(
                    "09:00 in the catalogue, told by the scheduler",
                    Duration.ofSeconds(10),
                    () -> uv(engine, definition, G9, G10) == 30);
            assertThat(job(service, definition).get("last_run")).asString().contains("from=" + G9);
            await(
                    "09:00 dropped",
                    Duration.ofSeconds(5),
                    () -> service.granule(definition.name(), G9).isEmpty());
            assertThat(service.granule(definition.name(), G10)
                            .orElseThrow()
                            .sketches()
                            .get(ALL)
                            .estimate())
                    .isEqualTo(5);

            JobStore store = new JobStore(new EsJson(es.client()));
            try (JobLease other = JobLease.acquire(
                    store, definition.name(), "other-proxy", Duration.ofMinutes(1), Duration.ZERO, Clock.systemUTC())) {
                clock.set(NOW.plus(Duration.ofHours(2))); // 12:30: 10:00 closes, but another proxy holds the lease
                await(
                        "waiting for the lease",
                        Duration.ofSeconds(10),
                        () -> job(service, definition).get("state").equals("waiting_for_lease"));
                assertThat(job(service, definition).get("last_run")).asString().contains("holder=other-proxy");
                assertThat(through(service, definition)).isEqualTo(G10.toString());
            }
            await(
                    "10:00 precomputed after the lease is free",
                    Duration.ofSeconds(20),
                    () -> through(service, definition)
                            .equals(G10.plus(Duration.ofHours(1)).toString()));
            assertThat(job(service, definition).get("last_error")).isNull();
        }
    }

    private static long uv(UvQueryEngine engine, UniqueCountDefinition definition, Instant from, Instant to) {
        try {
            return engine.answerNow(new UvQuestion(
                            definition, from, to, List.of(new UvQuestion.TimeSlice(from, to)), Map.of(), List.of()))
                    .overall()
                    .uv();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> job(UniqueCountService service, UniqueCountDefinition definition) {
        return (Map<String, Object>)
                service.status(definition.name()).orElseThrow().get("job");
    }

    static String through(UniqueCountService service, UniqueCountDefinition definition) {
        return String.valueOf(job(service, definition).get("precomputed_through"));
    }

    static long granuleUv(TestElasticsearch es, UniqueCountDefinition definition, Instant start) throws Exception {
        String id = new BucketKey("1h", "UTC", start, ALL).id();
        JsonNode doc = es.requests().get("/" + UvIndex.name(definition) + "/_doc/" + id);
        return doc.path("_source").path("uv").asLong(-1);
    }
}
