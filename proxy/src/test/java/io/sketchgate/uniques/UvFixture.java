package io.sketchgate.uniques;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.demo.PageView;
import io.sketchgate.demo.SampleWebLogs;
import io.sketchgate.demo.SampleWebLogsLoader;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.TestDefinitions;
import io.sketchgate.testing.TestElasticsearch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Generated web logs of 61 days (2025-01-01 to 2025-03-03), precomputed at 3h granularity for UTC and Seoul up to
 * 2025-03-02 as a job running at 2025-03-02T00:15Z would (so the last day is not precomputed), and the true
 * counts of any range, filter and split, replayed from the generator.
 */
final class UvFixture {
    static final Instant END = Instant.parse("2025-03-03T00:00:00Z");
    static final Instant PRECOMPUTED_TO = Instant.parse("2025-03-02T00:00:00Z");
    static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Asia/Seoul"));

    private static UvFixture shared;

    final SampleWebLogs logs;
    final UniqueCountDefinition definition;

    UvFixture(String prefix, String name) {
        this.logs = SampleWebLogs.builder()
                .seed(11)
                .events(30_000)
                .days(61)
                .users(20_000)
                .end(END)
                .indexPrefix(prefix)
                .build();
        this.definition = TestDefinitions.definition(
                name,
                prefix + "-*",
                "@timestamp",
                "user_id",
                List.of("country", "device"),
                Duration.ofHours(3),
                ZONES,
                14,
                Duration.ofMinutes(15),
                5_000_000);
    }

    /**
     * The definition as a proxy's {@code unique_counts} list item, for a YAML configuration; realtime is off, so the
     * precomputed range stays fixed.
     */
    String yaml() {
        return """
                  - name: %s
                    source: "%s"
                    unique_field: user_id
                    dimensions: [country, device]
                    granularity: 3h
                    time_zones: [UTC, Asia/Seoul]
                    realtime: { enabled: false, schedule: false }
                """.formatted(definition.name(), logs.indexPattern());
    }

    /** Loaded and precomputed once per test JVM, for every test class that only reads it. */
    static synchronized UvFixture shared(TestElasticsearch es) throws Exception {
        if (shared == null) {
            UvFixture fixture = new UvFixture(IndexNames.unique("uv-logs"), IndexNames.unique("uv"));
            fixture.loadAndPrecompute(es);
            shared = fixture;
        }
        return shared;
    }

    void loadAndPrecompute(TestElasticsearch es) throws Exception {
        new SampleWebLogsLoader(es.client(), 0).load(logs, n -> {});
        PrecomputeJob.builder(es.client(), definition)
                .granulesPerRequest(64)
                .clock(Clock.fixed(PRECOMPUTED_TO.plus(Duration.ofMinutes(15)), ZoneOffset.UTC))
                .build()
                .run(logs.start(), PRECOMPUTED_TO);
    }

    /** True UV and PV of {@code [from, to)} per combination, for events passing {@code filter}. */
    Map<List<String>, WebLogTruth.Counts> truth(
            Instant from, Instant to, Predicate<PageView> filter, Function<PageView, List<String>> combination) {
        Map<List<String>, WebLogTruth.Counts> truth = new HashMap<>();
        for (Iterator<PageView> it = logs.iterator(); it.hasNext(); ) {
            PageView view = it.next();
            if (!view.timestamp().isBefore(from) && view.timestamp().isBefore(to) && filter.test(view)) {
                WebLogTruth.Counts counts =
                        truth.computeIfAbsent(combination.apply(view), k -> new WebLogTruth.Counts());
                counts.users.add(view.userId());
                counts.pageViews++;
            }
        }
        return truth;
    }

    WebLogTruth.Counts truth(Instant from, Instant to) {
        return truth(from, to, v -> true, v -> List.of()).getOrDefault(List.of(), new WebLogTruth.Counts());
    }
}
