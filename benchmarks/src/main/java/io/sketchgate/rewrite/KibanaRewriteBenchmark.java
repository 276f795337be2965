package io.sketchgate.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.config.AccessLogConfig;
import io.sketchgate.config.ElasticsearchConfig;
import io.sketchgate.config.KibanaRewriteMode;
import io.sketchgate.config.LimitsConfig;
import io.sketchgate.config.ListenerConfig;
import io.sketchgate.config.ListenersConfig;
import io.sketchgate.config.RealtimeSettings;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.config.UniqueCountsConfig;
import io.sketchgate.demo.SampleWebLogs;
import io.sketchgate.demo.SampleWebLogsLoader;
import io.sketchgate.embedded.ElasticsearchVersion;
import io.sketchgate.embedded.EmbeddedElasticsearch;
import io.sketchgate.server.ProxyServer;
import io.sketchgate.uniques.PrecomputeJob;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/**
 * Kibana's two heavy Lens charts — "daily unique count over 60 days" and "unique count split by country (top 5
 * terms) over 60 days" — replayed against an embedded Elasticsearch directly ({@code request_cache=false}) and
 * through Sketchgate with {@code kibana_rewrite: on}, in the same run over the same demo-sized data
 * ({@link SampleWebLogs}, precomputed hourly with UTC and Europe/Berlin calendars as Lens's zone). Prints per
 * request and side the median and p90 latency, the ratio of medians (target at least 50×), and the
 * Elasticsearch CPU time each side cost ({@code _nodes/stats/process} before and after).
 *
 * <p>Run: {@code benchmarks/kibana/run.sh} (arguments: events, iterations; both optional).
 */
public final class KibanaRewriteBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TARGET_RATIO = 50;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private KibanaRewriteBenchmark() {}

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        // whole days in the past: every hour is closed and precomputed, nothing is left to a tailer
        Instant end = Instant.now().truncatedTo(ChronoUnit.DAYS);
        SampleWebLogs logs = SampleWebLogs.builder()
                .seed(42)
                .events(events)
                .days(61)
                .end(end)
                .build();
        UniqueCountDefinition definition = definition(logs);

        try (EmbeddedElasticsearch elasticsearch = EmbeddedElasticsearch.builder()
                .version(ElasticsearchVersion.ofBuild())
                .nodes(1)
                .heap("1g")
                .build()) {
            log("starting Elasticsearch " + ElasticsearchVersion.ofBuild());
            elasticsearch.start();
            URI upstream = elasticsearch.httpUris().get(0);
            try (RestClient client =
                    RestClient.builder(HttpHost.create(upstream.toString())).build()) {
                long started = System.nanoTime();
                new SampleWebLogsLoader(client, 0).load(logs, n -> {});
                log(String.format(
                        Locale.ROOT,
                        "loaded %,d page views over %d days in %.0f s",
                        events,
                        logs.days(),
                        (System.nanoTime() - started) / 1e9));
                client.performRequest(new org.elasticsearch.client.Request(
                        "POST", "/" + logs.indexPattern() + "/_forcemerge?max_num_segments=1"));
                PrecomputeJob.Result result = PrecomputeJob.builder(client, definition)
                        .granulesPerRequest(24)
                        .build()
                        .run(logs.start(), logs.end());
                log(String.format(
                        Locale.ROOT,
                        "precomputed %,d buckets in %.0f s",
                        result.bucketsWritten(),
                        result.took().toMillis() / 1000.0));
            }
            try (ProxyServer proxy = ProxyServer.start(config(upstream, definition))) {
                URI sketchgate = URI.create(
                        "http://127.0.0.1:" + proxy.elasticsearchAddress().getPort());
                Instant to = end.minus(Duration.ofMinutes(7));
                Instant from =
                        to.minus(Duration.ofDays(60)).plus(Duration.ofMinutes(3)); // Kibana's edges are not aligned
                List<Row> rows = new ArrayList<>();
                for (LensChart chart : LensChart.values()) {
                    String path = "/" + logs.indexPattern() + "/_search?track_total_hits=true&request_cache=false";
                    String body = chart.body(from, to);
                    rows.add(measure(
                            chart.title + ", Elasticsearch", upstream, sketchgate, path, body, iterations, false));
                    rows.add(measure(chart.title + ", Sketchgate", upstream, sketchgate, path, body, iterations, true));
                }
                print(rows, events, iterations);
            }
        }
    }

    /** Kibana's recorded Lens bodies (/work/shared/kibana), on the sample's fields and with the range moved. */
    enum LensChart {
        DAILY("daily unique count, 60 d", """
                {"aggs":{"0":{"date_histogram":{"field":"@timestamp","calendar_interval":"1d","time_zone":"Europe/Berlin",
                "extended_bounds":{"min":FROM_MS,"max":TO_MS}},"aggs":{"1":{"cardinality":{"field":"user_id"}}}}},
                "size":0,"fields":[{"field":"@timestamp","format":"date_time"}],"script_fields":{},"stored_fields":["*"],
                "runtime_mappings":{},"_source":{"excludes":[]},"query":{"bool":{"must":[],"filter":[{"range":
                {"@timestamp":{"format":"strict_date_optional_time","gte":"FROM","lte":"TO"}}}],"should":[],"must_not":[]}}}"""),
        TOP5("by country (top 5), 60 d", """
                {"aggs":{"0":{"terms":{"field":"country","order":{"2":"desc"},"size":5},"aggs":{"1":{"date_histogram":
                {"field":"@timestamp","calendar_interval":"1d","time_zone":"Europe/Berlin","extended_bounds":
                {"min":FROM_MS,"max":TO_MS}},"aggs":{"2":{"cardinality":{"field":"user_id"}}}},"2":{"cardinality":
                {"field":"user_id"}}}}},"size":0,"fields":[{"field":"@timestamp","format":"date_time"}],"script_fields":{},
                "stored_fields":["*"],"runtime_mappings":{},"_source":{"excludes":[]},"query":{"bool":{"must":[],"filter":
                [{"range":{"@timestamp":{"format":"strict_date_optional_time","gte":"FROM","lte":"TO"}}}],"should":[],
                "must_not":[]}}}""");

        final String title;
        private final String template;

        LensChart(String title, String template) {
            this.title = title;
            this.template = template;
        }

        String body(Instant from, Instant to) {
            return template.replace("FROM_MS", Long.toString(from.toEpochMilli()))
                    .replace("TO_MS", Long.toString(to.toEpochMilli()))
                    .replace("FROM", from.toString())
                    .replace("TO", to.toString())
                    .replace("\n", "");
        }
    }

    record Row(String name, boolean rewritten, double medianMs, double p90Ms, long esCpuMs) {}

    private static Row measure(
            String name,
            URI elasticsearch,
            URI sketchgate,
            String path,
            String body,
            int iterations,
            boolean throughSketchgate)
            throws Exception {
        URI target = (throughSketchgate ? sketchgate : elasticsearch).resolve(path);
        for (int i = 0; i < 3; i++) { // warm-up: JIT, page cache, sketch cache
            send(target, body, throughSketchgate);
        }
        long cpuBefore = cpuMillis(elasticsearch);
        double[] millis = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long started = System.nanoTime();
            send(target, body, throughSketchgate);
            millis[i] = (System.nanoTime() - started) / 1e6;
        }
        long cpu = cpuMillis(elasticsearch) - cpuBefore;
        Arrays.sort(millis);
        return new Row(name, throughSketchgate, percentile(millis, 0.5), percentile(millis, 0.9), cpu);
    }

    private static void send(URI target, String body, boolean mustBeRewritten)
            throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(target)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(target + " answered " + response.statusCode() + ": " + response.body());
        }
        if (mustBeRewritten
                && !response.headers()
                        .firstValue("X-Sketchgate-Source")
                        .orElse("")
                        .startsWith("unique-counts")) {
            throw new IllegalStateException("Sketchgate did not rewrite the search (no X-Sketchgate-Source): "
                    + "the benchmark would measure a passthrough");
        }
    }

    private static long cpuMillis(URI elasticsearch) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(elasticsearch.resolve("/_nodes/stats/process"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        long total = 0;
        for (JsonNode node : JSON.readTree(response.body()).path("nodes")) {
            total += node.path("process").path("cpu").path("total_in_millis").asLong();
        }
        return total;
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    private static void print(List<Row> rows, long events, int iterations) {
        System.out.printf(
                Locale.ROOT,
                "%nKibana rewrite: %,d page views, 61 days; %d timed requests per row after 3 "
                        + "warm-ups, one at a time%n",
                events,
                iterations);
        String line = "%-44s %11s %11s %12s %9s  %s%n";
        System.out.printf(Locale.ROOT, line, "request, answered by", "median ms", "p90 ms", "ES CPU ms", "ratio", "");
        for (int i = 0; i + 1 < rows.size(); i += 2) {
            Row es = rows.get(i);
            Row sketchgate = rows.get(i + 1);
            double ratio = es.medianMs / sketchgate.medianMs;
            System.out.printf(Locale.ROOT, line, es.name, format(es.medianMs), format(es.p90Ms), es.esCpuMs, "", "");
            System.out.printf(
                    Locale.ROOT,
                    line,
                    sketchgate.name,
                    format(sketchgate.medianMs),
                    format(sketchgate.p90Ms),
                    sketchgate.esCpuMs,
                    String.format(Locale.ROOT, "%.0fx", ratio),
                    (ratio >= TARGET_RATIO ? "target met" : "target MISSED")
                            + String.format(
                                    Locale.ROOT,
                                    " (>= %.0fx); ES CPU saved %d ms",
                                    TARGET_RATIO,
                                    es.esCpuMs - sketchgate.esCpuMs));
        }
    }

    private static String format(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.1f", millis);
    }

    private static UniqueCountDefinition definition(SampleWebLogs logs) {
        RealtimeSettings defaults = RealtimeSettings.defaults(Duration.ofHours(1), Duration.ofMinutes(15));
        // the precomputed range stays fixed: no tailer or scheduler competes with the measurement
        RealtimeSettings off = new RealtimeSettings(
                false,
                defaults.pollInterval(),
                defaults.overlap(),
                defaults.persistInterval(),
                defaults.maxOpenGranules(),
                defaults.maxSketches(),
                false,
                defaults.scheduleInterval());
        return new UniqueCountDefinition(
                "weblogs_uv",
                logs.indexPattern(),
                "@timestamp",
                "user_id",
                List.of("country", "device"),
                Duration.ofHours(1),
                List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin")),
                14,
                Duration.ofMinutes(15),
                5_000_000,
                off,
                KibanaRewriteMode.ON);
    }

    private static SketchgateConfig config(URI elasticsearch, UniqueCountDefinition definition) {
        return new SketchgateConfig(
                        Path.of("(kibana rewrite benchmark)"),
                        new ListenersConfig(new ListenerConfig("127.0.0.1", 0, Optional.empty()), Optional.empty()),
                        new ElasticsearchConfig(
                                List.of(elasticsearch),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Duration.ofSeconds(5)),
                        new LimitsConfig(
                                10L * 1024 * 1024,
                                Duration.ofSeconds(5),
                                Duration.ofSeconds(120),
                                Duration.ofSeconds(10),
                                16 * 1024,
                                8 * 1024,
                                Duration.ofMinutes(5)),
                        new AccessLogConfig(Optional.empty()))
                .withUniqueCounts(new UniqueCountsConfig(List.of(definition)));
    }

    private static void log(String message) {
        System.err.println("[kibana-bench] " + message);
    }
}
