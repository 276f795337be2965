package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.demo.SampleWebLogs;
import io.sketchgate.demo.SampleWebLogsLoader;
import io.sketchgate.embedded.EmbeddedElasticsearch;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The UV benchmark end to end with tiny data against a real Elasticsearch, so the benchmark cannot rot: every
 * stage runs, both sides answer every day, and the UV API's closed daily buckets equal the generator's truth.
 *
 * <p>About 40 s, 30 of them starting Elasticsearch, so it is excluded by default:
 * {@code ./mvnw -o -pl hll,proxy,benchmarks test -Dtest='UvBench*Test' -Dbenchmark.smoke.excluded=none}.
 */
@Tag("benchmark-smoke")
class UvBenchmarkSmokeTest {

    @Test
    void run_withTinyData_measuresEverySideAndTheUvApiIsExactOnClosedDays() throws Exception {
        SampleWebLogs logs = SampleWebLogs.builder()
                .events(3_000)
                .days(9)
                .users(2_000)
                .indexPrefix("uvbench-smoke")
                .end(UvBenchmark.closedEnd(Instant.now()))
                .build();
        try (EmbeddedElasticsearch elasticsearch =
                EmbeddedElasticsearch.builder().nodes(1).heap("512m").build()) {
            elasticsearch.start();
            URI uri = elasticsearch.httpUris().get(0);
            try (RestClient client =
                    RestClient.builder(HttpHost.create(uri.toString())).build()) {
                new SampleWebLogsLoader(client, 0).load(logs, loaded -> {});
                UvBenchmarkRun.Result result = new UvBenchmarkRun(
                                client, uri, new PrintStream(OutputStream.nullOutputStream()))
                        .run(logs, new UvBenchmarkRun.Settings("uvbench_smoke", 60, 2, 1));

                assertThat(result.scan().rows()).isPositive();
                assertThat(result.precompute().bucketsWritten()).isPositive();
                assertThat(result.questions()).hasSize(2);
                UvBenchmarkRun.QuestionResult daily = result.questions().get(0);
                assertThat(daily.question().buckets()).hasSize(9);
                assertThat(daily.sides())
                        .extracting(UvBenchmarkRun.Side::name)
                        .containsExactly(UvBenchmarkRun.ES_DEFAULT, UvBenchmarkRun.ES_HIGH, UvBenchmarkRun.UV_API);
                // closed days are stored exactly: no error at all
                assertThat(daily.side(UvBenchmarkRun.UV_API).errors().max()).isZero();
                // below ES's precision threshold (3,000) cardinality counts near-exactly, so a large error means the
                // benchmark compared the wrong buckets
                assertThat(daily.side(UvBenchmarkRun.ES_DEFAULT).errors().max()).isLessThan(0.05);
                assertThat(result.questions()
                                .get(1)
                                .side(UvBenchmarkRun.UV_API)
                                .errors()
                                .max())
                        .isLessThan(0.05);
                assertThat(result.questions()
                                .get(1)
                                .side(UvBenchmarkRun.UV_API)
                                .latencies()
                                .count())
                        .isEqualTo(2);
                // the scale section reads both indices: every loaded event in the source, the written buckets stored
                assertThat(result.scale().source().documents()).isEqualTo(logs.eventCount());
                assertThat(result.scale().uniqueCounts().documents())
                        .isEqualTo(result.precompute().bucketsWritten());
                assertThat(result.scale().uniqueCounts().bytes()).isPositive();

                ByteArrayOutputStream printed = new ByteArrayOutputStream();
                List<String> summary =
                        UvBenchReport.print(result, new PrintStream(printed, true, StandardCharsets.UTF_8));
                assertThat(printed.toString(StandardCharsets.UTF_8))
                        .contains("(a) Precompute vs one scan", "(c) Scale", "Summary");
                assertThat(summary)
                        .hasSize(9)
                        .allSatisfy(line -> assertThat(line.split("\t")).hasSize(7));
            }
        }
    }
}
