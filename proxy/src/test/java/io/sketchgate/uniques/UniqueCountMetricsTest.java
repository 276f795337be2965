package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unique-count meters in {@code /_sketchgate/metrics}: caches, sketch merges, the answers' requests to Elasticsearch,
 * tailer lag, job progress and buckets.
 */
@RealElasticsearch
class UniqueCountMetricsTest {

    @Test
    void uvAnswers_countMergesAndCacheLookups_andEveryDefinitionHasItsTailerAndJobMeters(
            TestElasticsearch es, @TempDir Path dir) throws Exception {
        UvFixture data = UvFixture.shared(es);
        String tailed = IndexNames.unique("tailed");
        ProxyUnderTest.Builder config = ProxyUnderTest.forElasticsearch(es.baseUri())
                .user("root", "sketchgate_admin", "analyst")
                .yaml("""
                        roles:
                          analyst: { indices: ["%s"] }
                          sketchgate_admin: { indices: ["sketchgate-nothing-*"] }
                        index_time_fields:
                          "%s": "@timestamp"
                        unique_counts:
                        %s  - name: %s
                            source: "%s"
                            unique_field: user_id
                            granularity: 1h
                            realtime: { poll_interval: 200ms, schedule: false }
                        """.formatted(
                                data.logs.indexPattern(),
                                data.logs.indexPattern(),
                                data.yaml(),
                                tailed,
                                data.logs.indexPattern()));
        try (ProxyUnderTest proxy = config.start(dir)) {
            String question =
                    "/_sketchgate/uv/" + data.definition.name() + "?from=2025-01-01&to=2025-02-01&interval=1d";
            HttpResponse<String> answer = get(proxy, question);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            answer = get(proxy, question);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

            String metrics = get(proxy, "/_sketchgate/metrics").body();
            String name = data.definition.name();
            // 31 days of stored buckets and, for the total, January's month bucket, twice; the second answer's
            // documents come from the catalogue, its sketches cached
            assertThat(value(metrics, "sketchgate_sketch_merges_total", "definition", name))
                    .hasValue(64);
            assertThat(value(metrics, "cache_gets_total", "cache", "sketches", "result", "hit")
                            .orElseThrow())
                    .isGreaterThanOrEqualTo(31);
            long stored = io.sketchgate.es.EsJson.JSON
                    .readTree(es.client()
                            .performRequest(new org.elasticsearch.client.Request(
                                    "GET", "/" + UvIndex.name(data.definition) + "/_count"))
                            .getEntity()
                            .getContent())
                    .path("count")
                    .asLong();
            assertThat(value(metrics, "sketchgate_bucket_catalogue_documents"))
                    .as("every stored document of the questioned definition, the other has none")
                    .hasValue((double) stored);
            assertThat(value(metrics, "sketchgate_bucket_catalogue_bytes").orElseThrow())
                    .as("an estimate: at least its fixed part a document, and the hourly granules' minutes")
                    .isGreaterThan(stored * (double) (StoredBuckets.Document.FIXED_BYTES + 16));
            // a split question reads the country sketches (not warmed: the fixture is older than warm_days); asked
            // again, it finds them in memory and sends nothing
            String split = question + "&split=country";
            assertThat(get(proxy, split).statusCode()).isEqualTo(200);
            double afterFirst = value(
                            get(proxy, "/_sketchgate/metrics").body(),
                            "sketchgate_uv_elasticsearch_requests_total",
                            "definition",
                            name)
                    .orElseThrow();
            assertThat(afterFirst).as("the split question's _mget").isGreaterThanOrEqualTo(1.0);
            assertThat(get(proxy, split).statusCode()).isEqualTo(200);
            assertThat(value(
                            get(proxy, "/_sketchgate/metrics").body(),
                            "sketchgate_uv_elasticsearch_requests_total",
                            "definition",
                            name))
                    .hasValue(afterFirst);
            assertThat(value(metrics, "sketchgate_job_progress_ratio", "definition", name))
                    .hasValue(1.0);
            assertThat(value(metrics, "sketchgate_job_buckets_total", "definition", name))
                    .hasValue(0.0);
            assertThat(metrics).contains("sketchgate_tailer_lag_seconds{definition=\"" + name + "\"} NaN");
            long deadline = System.nanoTime() + 30_000_000_000L;
            OptionalDouble lag;
            do { // the tailed definition reports its lag once its tailer has polled
                lag = value(
                        get(proxy, "/_sketchgate/metrics").body(),
                        "sketchgate_tailer_lag_seconds",
                        "definition",
                        tailed);
                Thread.sleep(200);
            } while ((lag.isEmpty() || lag.getAsDouble() != lag.getAsDouble()) && System.nanoTime() < deadline);
            assertThat(lag.orElseThrow()).isBetween(0.0, 3600.0);
        }
    }

    private static HttpResponse<String> get(ProxyUnderTest proxy, String path) throws Exception {
        return proxy.get(path, "root");
    }

    /** The sample with exactly these labels (in Micrometer's order: sorted by name), if any. */
    private static OptionalDouble value(String text, String metric, String... labels) {
        StringBuilder wanted = new StringBuilder();
        java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            sorted.put(labels[i], labels[i + 1]);
        }
        sorted.forEach((k, v) -> wanted.append(wanted.isEmpty() ? "" : ",")
                .append(k)
                .append("=\"")
                .append(v)
                .append('"'));
        Matcher m = Pattern.compile(
                        "^" + Pattern.quote(metric + "{" + wanted + ",}") + " (\\S+)$|^"
                                + Pattern.quote(metric + (wanted.isEmpty() ? "" : "{" + wanted + "}")) + " (\\S+)$",
                        Pattern.MULTILINE)
                .matcher(text);
        if (!m.find()) {
            return OptionalDouble.empty();
        }
        String number = m.group(1) != null ? m.group(1) : m.group(2);
        return OptionalDouble.of(Double.parseDouble(number));
    }
}
