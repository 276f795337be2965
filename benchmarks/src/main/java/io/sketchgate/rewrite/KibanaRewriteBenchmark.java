package io.sketchgate.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.benchmarks.BlockingHttp;
import io.sketchgate.config.EdgeReads;
import io.sketchgate.config.KibanaRewriteMode;
import io.sketchgate.config.RealtimeSettings;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.demo.SampleWebLogs;
import io.sketchgate.demo.SampleWebLogsLoader;
import io.sketchgate.embedded.ElasticsearchVersion;
import io.sketchgate.embedded.EmbeddedElasticsearch;
import io.sketchgate.uniques.GcPauses;
import io.sketchgate.uniques.PrecomputeJob;
import io.sketchgate.uniques.ProxyProcess;
import io.sketchgate.uniques.UvIndex;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/**
 * Kibana's two heavy Lens charts — "daily unique count" and "unique count split by country (top 5 terms)" over
 * 30-to-60-day windows, every window different — replayed against an embedded Elasticsearch directly (its request
 * cache at its default) and through Sketchgate in its own JVM with {@code kibana_rewrite: on}, in the same run over the same demo-sized data
 * ({@link SampleWebLogs}, precomputed hourly with UTC and Europe/Berlin calendars as Lens's zone). Prints per
 * request and side the median and p90 latency, the ratio of medians (target at least 50×), and the
 * Elasticsearch CPU time each side cost ({@code _nodes/stats/process} before and after).
 *
 * <p>Run: {@code benchmarks/kibana/run.sh} (arguments: events, iterations; both optional).
 */
public final class KibanaRewriteBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TARGET_RATIO = 50;
    private static final BlockingHttp HTTP = new BlockingHttp(600_000);
    /**
     * Twice the shapes' shift (26 h 34 min): the back-to-back windows cut other hours than every measured window, so
     * they find no granule block the alternating rows made.
     */
    private static final Duration ALONE_SHIFT = Duration.ofMinutes(2 * WindowShape.SHAPE_SHIFT_MINUTES);

    private KibanaRewriteBenchmark() {}

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        // at scale: Elasticsearch's heap, the proxy's heap and its uv_cache.max_sketch_bytes
        String esHeap = args.length > 2 ? args[2] : "1g";
        String proxyHeap = args.length > 3 ? args[3] : "1g";
        String sketchCache = args.length > 4 ? args[4] : "256mb";
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
                .heap(esHeap)
                .build()) {
            log("starting Elasticsearch " + ElasticsearchVersion.ofBuild());
            elasticsearch.start();
            URI upstream = elasticsearch.httpUris().get(0);
            try (RestClient client = RestClient.builder(HttpHost.create(upstream.toString()))
                    // a force-merge of 61 indices at 30M events takes minutes, past the default 30 s
                    .setRequestConfigCallback(config -> config.setSocketTimeout(3_600_000))
                    .build()) {
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
            Path jar = Path.of(System.getProperty("sketchgate.proxyJar", "proxy/target/sketchgate.jar"));
            try (ProxyProcess proxy = ProxyProcess.start(jar, proxyHeap, yaml(upstream, logs, sketchCache))) {
                URI sketchgate = proxy.uri();
                // the request cache stays at Elasticsearch's default: every window below is asked once
                String path = "/" + logs.indexPattern() + "/_search?track_total_hits=true";
                // the proxy's JIT first, alone for 30 s (an Elasticsearch chart takes seconds at 30M events, so in
                // pairs the proxy would see only a few dozen), then both JVMs on windows never measured
                long warmUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                for (int i = 0; System.nanoTime() < warmUntil; i++) {
                    LensChart chart = LensChart.values()[i % LensChart.values().length];
                    Window window = WindowShape.values()[(i / 2) % 2].window(end, 100 + (i / 4) % 900);
                    send(sketchgate.resolve(path), chart.body(window.from(), window.to()), true);
                }
                for (int i = 0; i < 40; i++) {
                    for (LensChart chart : LensChart.values()) {
                        Window window = WindowShape.values()[i % 2].window(end, 1000 + i);
                        String body = chart.body(window.from(), window.to());
                        send(upstream.resolve(path), body, false);
                        send(sketchgate.resolve(path), body, true);
                    }
                }
                long holdSeconds = Long.getLong("kibana.holdSeconds", 0);
                if (holdSeconds > 0) { // profiling: the warmed proxy and its data kept up for another client
                    log("holding " + holdSeconds + " s: proxy " + sketchgate + " (pid " + proxy.pid()
                            + "), Elasticsearch " + upstream + ", data end " + end);
                    Thread.sleep(holdSeconds * 1000);
                }
                List<Row> rows = new ArrayList<>();
                for (LensChart chart : LensChart.values()) {
                    for (WindowShape shape : WindowShape.values()) {
                        rows.add(measure(
                                chart,
                                shape,
                                upstream,
                                proxy,
                                path,
                                new ReadIndices(logs.indexPattern(), UvIndex.name(definition)),
                                end,
                                iterations));
                    }
                }
                List<Row> alone = new ArrayList<>();
                for (LensChart chart : LensChart.values()) {
                    for (WindowShape shape : WindowShape.values()) {
                        alone.add(measureAlone(chart, shape, proxy, path, end, iterations));
                    }
                }
                print(rows, events, iterations, proxyHeap, sketchCache);
                printAlone(alone);
            }
        }
    }

    /** A chart's time range as Kibana sends it: {@code gte} and {@code lte}, both inclusive. */
    record Window(Instant from, Instant to) {}

    /** How Kibana's time picker shapes a range. */
    enum WindowShape {
        /**
         * A relative range ("Last 30 days"): both ends at the millisecond the chart was drawn, so both cuts fall
         * inside a minute and the rewrite needs one count of the events at its edges.
         */
        RELATIVE("relative range (ms cuts)"),
        /**
         * An absolute or rounded range (the picker's dates, {@code now/d}): {@code gte} on a minute, {@code lte} at
         * {@code :59.999}, so both cuts fall on fine-granule minutes and need no request.
         */
        WHOLE_MINUTES("whole minutes");

        /** The second shape's windows are this much earlier: 13 h 17 min, so their cuts fall in other hours. */
        private static final long SHAPE_SHIFT_MINUTES = 797;

        final String label;

        WindowShape(String label) {
            this.label = label;
        }

        /**
         * A 30-to-60-day window ending 7 minutes to 3 days before the data's end, distinct for every {@code i} and
         * shape: the shapes' windows start and end in different hours, so the row measured second does not find the
         * cut granules' sketches already read by the first (sketches older than {@code warm_days} are read on first
         * use).
         */
        Window window(Instant end, int i) {
            Instant to = end.minus(Duration.ofMinutes(7 + 37L * i + ordinal() * SHAPE_SHIFT_MINUTES));
            Instant from = to.minus(Duration.ofDays(30 + i % 31)).plus(Duration.ofMinutes(3 + i % 50));
            return switch (this) {
                case RELATIVE -> {
                    long millis = 1 + (7919L * i) % 59_998;
                    yield new Window(from.plusMillis(millis), to.plusMillis(millis));
                }
                case WHOLE_MINUTES -> new Window(from, to.minusMillis(1));
            };
        }
    }

    /** Kibana's recorded Lens bodies (/work/shared/kibana), on the sample's fields and with the range moved. */
    enum LensChart {
        DAILY("daily unique count", """
                {"aggs":{"0":{"date_histogram":{"field":"@timestamp","calendar_interval":"1d","time_zone":"Europe/Berlin",
                "extended_bounds":{"min":FROM_MS,"max":TO_MS}},"aggs":{"1":{"cardinality":{"field":"user_id"}}}}},
                "size":0,"fields":[{"field":"@timestamp","format":"date_time"}],"script_fields":{},"stored_fields":["*"],
                "runtime_mappings":{},"_source":{"excludes":[]},"query":{"bool":{"must":[],"filter":[{"range":
                {"@timestamp":{"format":"strict_date_optional_time","gte":"FROM","lte":"TO"}}}],"should":[],"must_not":[]}}}"""),
        TOP5("by country (top 5)", """
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

    /**
     * @param floorMs the round-trip floor: the proxy's health endpoint, asked right after Elasticsearch answered a
     *     window that Sketchgate was asked first (so in Sketchgate's place in the other windows)
     * @param ownRequests requests the proxy itself sent to Elasticsearch while answering the chart's windows
     */
    record Row(
            String chart,
            double[] esMs,
            double[] sketchgateMs,
            double[] sketchgateTook,
            double[] floorMs,
            long esCpuEs,
            long esCpuSketchgate,
            long ownRequests,
            long pageViewsCompared,
            long pageViewsDiffering,
            double[] uniqueCountDifferences,
            ChartReads reads,
            ChartPauses pauses) {}

    /**
     * The proxy's GC pauses while a chart's windows were asked ({@link ProxyProcess#gcPauses}): their summary, how
     * many of Sketchgate's answers waited behind one, and the slowest answer that waited behind none.
     */
    record ChartPauses(String summary, int answersBehindPause, double slowestBehindNoneMs) {}

    /** The source's index pattern and the unique-count index, whose Elasticsearch stats tell what a chart read. */
    record ReadIndices(String source, String uniqueCounts) {}

    /**
     * Of a chart's windows through Sketchgate, how many searched the source (a count, a page-view or a users' read:
     * {@code search.query_total} of its indices moved) and how many read stored documents by id (the sketches'
     * {@code _mget}: {@code get.total} of the unique-count index moved).
     */
    record ChartReads(int sourceSearched, int sketchesRead) {
        static final ChartReads NONE = new ChartReads(0, 0);
    }

    /**
     * Each of {@code iterations} distinct windows asked once of each side, Elasticsearch first on even windows and
     * Sketchgate first on odd ones; Elasticsearch's CPU is summed per side from node stats read around each call.
     */
    private static Row measure(
            LensChart chart,
            WindowShape shape,
            URI elasticsearch,
            ProxyProcess proxy,
            String path,
            ReadIndices indices,
            Instant end,
            int iterations)
            throws Exception {
        URI sketchgate = proxy.uri();
        int[] reads = new int[2]; // windows that searched the source, that read sketches
        double[] es = new double[iterations];
        double[] sg = new double[iterations];
        double[] took = new double[iterations];
        List<Double> floor = new ArrayList<>();
        long[] cpu = new long[2];
        long own = 0;
        long[] pageViews = new long[2]; // compared, differing
        List<Double> uniqueCounts = new ArrayList<>();
        Instant[] sentAt = new Instant[iterations];
        Instant measuring = Instant.now();
        for (int i = 0; i < iterations; i++) {
            Window window = shape.window(end, i);
            String body = chart.body(window.from(), window.to());
            String[] answers = new String[2];
            for (int turn = 0; turn < 2; turn++) {
                boolean throughSketchgate = (turn == 0) == (i % 2 == 1);
                long cpuBefore = cpuMillis(elasticsearch);
                long ownBefore = throughSketchgate ? proxy.uvElasticsearchRequests() : 0;
                long[] statsBefore = throughSketchgate ? readStats(elasticsearch, indices) : null;
                if (throughSketchgate) {
                    sentAt[i] = Instant.now();
                }
                long started = System.nanoTime();
                String answer =
                        send((throughSketchgate ? sketchgate : elasticsearch).resolve(path), body, throughSketchgate);
                double millis = (System.nanoTime() - started) / 1e6;
                if (throughSketchgate) {
                    took[i] = JSON.readTree(answer).path("took").asDouble(); // parsed after the clock stopped
                }
                own += throughSketchgate ? proxy.uvElasticsearchRequests() - ownBefore : 0;
                if (throughSketchgate) { // read after the clock stopped
                    long[] statsAfter = readStats(elasticsearch, indices);
                    reads[0] += statsAfter[0] > statsBefore[0] ? 1 : 0;
                    reads[1] += statsAfter[1] > statsBefore[1] ? 1 : 0;
                }
                answers[throughSketchgate ? 1 : 0] = answer;
                cpu[throughSketchgate ? 1 : 0] += cpuMillis(elasticsearch) - cpuBefore;
                (throughSketchgate ? sg : es)[i] = millis;
            }
            comparePageViews(JSON.readTree(answers[0]), JSON.readTree(answers[1]), pageViews);
            compareUniqueCounts(JSON.readTree(answers[0]), JSON.readTree(answers[1]), uniqueCounts);
            if (i % 2 == 1) {
                // Elasticsearch went second: the proxy has been idle for an Elasticsearch chart, as it is before every
                // chart measured after one, so a request that does no work shows what waking up costs here
                long started = System.nanoTime();
                BlockingHttp.Response health = HTTP.get(sketchgate.resolve("/_sketchgate/health"), Map.of());
                floor.add((System.nanoTime() - started) / 1e6);
                if (health.status() != 200) {
                    throw new IllegalStateException("GET /_sketchgate/health answered " + health.status());
                }
            }
        }
        double[] floorMs = floor.stream().mapToDouble(Double::doubleValue).toArray();
        ChartPauses pauses = pauses(proxy.gcPauses().between(measuring, Instant.now()), sentAt, sg);
        return new Row(
                chart.title + ", " + shape.label,
                es,
                sg,
                took,
                floorMs,
                cpu[0],
                cpu[1],
                own,
                pageViews[0],
                pageViews[1],
                uniqueCounts.stream().mapToDouble(Double::doubleValue).toArray(),
                new ChartReads(reads[0], reads[1]),
                pauses);
    }

    /** Which of Sketchgate's answers, sent at {@code sentAt} and taking {@code millis}, waited behind a pause. */
    static ChartPauses pauses(GcPauses pauses, Instant[] sentAt, double[] millis) {
        GcPauses.Answers answers = pauses.answers(
                sentAt,
                Arrays.stream(millis).mapToLong(ms -> Math.round(ms * 1e6)).toArray());
        return new ChartPauses(pauses.summary(), answers.behindPause(), answers.slowestBehindNoneNanos() / 1e6);
    }

    /** The source's shard queries and the unique-count index's gets so far. */
    private static long[] readStats(URI elasticsearch, ReadIndices indices) throws IOException {
        JsonNode source =
                JSON.readTree(HTTP.get(elasticsearch.resolve("/" + indices.source() + "/_stats/search"), Map.of())
                        .body());
        JsonNode stored =
                JSON.readTree(HTTP.get(elasticsearch.resolve("/" + indices.uniqueCounts() + "/_stats/get"), Map.of())
                        .body());
        return new long[] {
            source.path("_all").path("total").path("search").path("query_total").asLong(),
            stored.path("_all").path("total").path("get").path("total").asLong()
        };
    }

    /**
     * Page views, which the rewrite keeps exact: {@code hits.total} and the {@code doc_count} of every bucket both
     * answers hold (a top-5 chart's fifth value may differ where two countries' unique counts are within the
     * estimates' error), keyed by the bucket keys on its path; adds to {@code counts} the numbers compared and those
     * that differ.
     */
    static void comparePageViews(JsonNode elasticsearch, JsonNode sketchgate, long[] counts) {
        Map<String, Long> expected = AnswerNumbers.of(elasticsearch).pageViews();
        Map<String, Long> actual = AnswerNumbers.of(sketchgate).pageViews();
        for (Map.Entry<String, Long> entry : expected.entrySet()) {
            Long other = actual.get(entry.getKey());
            if (other != null) {
                counts[0]++;
                if (!other.equals(entry.getValue())) {
                    counts[1]++;
                }
            }
        }
    }

    /**
     * Unique counts: the {@code value} of every metric both answers hold (the {@code cardinality} of each bucket, and
     * the {@code terms} values shown where both picked the same), keyed as {@link #comparePageViews} keys them; adds
     * each one's difference relative to Elasticsearch's to {@code differences}. Elasticsearch's count is an estimate
     * too past its precision threshold (3,000 by default), so this is the gap between two estimates there.
     */
    static void compareUniqueCounts(JsonNode elasticsearch, JsonNode sketchgate, List<Double> differences) {
        Map<String, Long> actual = AnswerNumbers.of(sketchgate).metrics();
        AnswerNumbers.of(elasticsearch).metrics().forEach((key, value) -> {
            Long other = actual.get(key);
            if (other != null) {
                differences.add(value == 0 ? (other == 0 ? 0.0 : 1.0) : Math.abs(other - value) / (double) value);
            }
        });
    }

    /**
     * An answer's page views ({@code hits.total} and every bucket's {@code doc_count}) and metric values (every
     * {@code value}), each keyed by the aggregation names and bucket keys on its path.
     */
    private record AnswerNumbers(Map<String, Long> pageViews, Map<String, Long> metrics) {
        static AnswerNumbers of(JsonNode answer) {
            AnswerNumbers numbers = new AnswerNumbers(new java.util.TreeMap<>(), new java.util.TreeMap<>());
            JsonNode total = answer.path("hits").path("total");
            numbers.pageViews.put(
                    "hits.total", total.isObject() ? total.path("value").asLong() : total.asLong());
            numbers.walk(answer.path("aggregations"), "");
            return numbers;
        }

        private void walk(JsonNode aggregations, String path) {
            aggregations.fields().forEachRemaining(aggregation -> {
                JsonNode node = aggregation.getValue();
                if (node.path("value").isNumber()) {
                    metrics.put(
                            path + "/" + aggregation.getKey(),
                            node.path("value").asLong());
                }
                for (JsonNode bucket : node.path("buckets")) {
                    String key = path + "/" + aggregation.getKey() + "="
                            + bucket.path("key").asText();
                    pageViews.put(key, bucket.path("doc_count").asLong());
                    walk(bucket, key);
                }
            });
        }
    }

    /**
     * Windows as {@link #measure} asks them, {@link #ALONE_SHIFT} earlier (so none repeats), asked of Sketchgate alone
     * one after the other: what a chart costs the proxy when nothing ran on the machine in between, beside the
     * alternating rows where every chart follows an Elasticsearch chart.
     */
    private static Row measureAlone(
            LensChart chart, WindowShape shape, ProxyProcess proxy, String path, Instant end, int iterations)
            throws Exception {
        double[] sg = new double[iterations];
        double[] took = new double[iterations];
        Instant[] sentAt = new Instant[iterations];
        Instant measuring = Instant.now();
        for (int i = 0; i < iterations; i++) {
            Window window = shape.window(end, i);
            String body =
                    chart.body(window.from().minus(ALONE_SHIFT), window.to().minus(ALONE_SHIFT));
            sentAt[i] = Instant.now();
            long started = System.nanoTime();
            String answer = send(proxy.uri().resolve(path), body, true);
            sg[i] = (System.nanoTime() - started) / 1e6;
            took[i] = JSON.readTree(answer).path("took").asDouble();
        }
        return new Row(
                chart.title + ", " + shape.label,
                new double[0],
                sg,
                took,
                new double[0],
                0,
                0,
                0,
                0,
                0,
                new double[0],
                ChartReads.NONE,
                pauses(proxy.gcPauses().between(measuring, Instant.now()), sentAt, sg));
    }

    private static void printAlone(List<Row> rows) {
        System.out.printf(
                Locale.ROOT,
                "%nSketchgate alone, back to back: the same charts on other distinct windows (%d minutes earlier),"
                        + " with no Elasticsearch call between them%n",
                ALONE_SHIFT.toMinutes());
        String line = "%-45s %9s %9s %9s%n";
        System.out.printf(Locale.ROOT, line, "chart", "SG p50", "SG p99", "SG took");
        for (Row row : rows) {
            double[] sg = sortedCopy(row.sketchgateMs());
            System.out.printf(
                    Locale.ROOT,
                    line,
                    row.chart(),
                    format(percentile(sg, 0.5)),
                    format(percentile(sg, 0.99)),
                    format(percentile(sortedCopy(row.sketchgateTook()), 0.5)));
        }
        printPauses(rows);
    }

    /** Each row's pauses ({@link ChartPauses}). */
    private static void printPauses(List<Row> rows) {
        for (Row row : rows) {
            System.out.printf(
                    Locale.ROOT,
                    "Proxy GC pauses during %s (its -Xlog:gc): %s; answers that waited behind one: %d of %d; the"
                            + " slowest that did not: %.2f ms%n",
                    row.chart(),
                    row.pauses().summary(),
                    row.pauses().answersBehindPause(),
                    row.sketchgateMs().length,
                    row.pauses().slowestBehindNoneMs());
        }
    }

    private static String send(URI target, String body, boolean mustBeRewritten) throws IOException {
        BlockingHttp.Response response = HTTP.post(target, body, Map.of());
        if (response.status() != 200) {
            throw new IllegalStateException(target + " answered " + response.status() + ": " + response.body());
        }
        if (mustBeRewritten && !response.header("X-Sketchgate-Source").startsWith("unique-counts")) {
            throw new IllegalStateException("Sketchgate did not rewrite the search (no X-Sketchgate-Source): "
                    + "the benchmark would measure a passthrough");
        }
        return response.body();
    }

    private static long cpuMillis(URI elasticsearch) throws IOException {
        BlockingHttp.Response response = HTTP.get(elasticsearch.resolve("/_nodes/stats/process"), Map.of());
        long total = 0;
        for (JsonNode node : JSON.readTree(response.body()).path("nodes")) {
            total += node.path("process").path("cpu").path("total_in_millis").asLong();
        }
        return total;
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    private static void print(List<Row> rows, long events, int iterations, String proxyHeap, String sketchCache) {
        System.out.printf(
                Locale.ROOT,
                "%nKibana rewrite: %,d page views, 61 days; %d distinct time windows per chart, each asked once of each"
                        + " side, sides alternating, after 30 s of warm-up windows to Sketchgate alone and 40 to both;"
                        + " Elasticsearch request cache at its default; Sketchgate in its own JVM (heap %s, sketch cache"
                        + " %s)%n",
                events,
                iterations,
                proxyHeap,
                sketchCache);
        String line = "%-45s %9s %9s %9s %9s %9s %11s %11s %9s %12s %12s %12s  %s%n";
        System.out.printf(
                Locale.ROOT,
                line,
                "chart",
                "ES p50",
                "ES p99",
                "SG p50",
                "SG p99",
                "SG took",
                "floor p50",
                "ratio p50",
                "worst",
                "ES CPU ES",
                "ES CPU SG",
                "ES req/chart",
                "target");
        for (Row row : rows) {
            double[] ratios = new double[row.esMs().length];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = row.esMs()[i] / row.sketchgateMs()[i];
            }
            double[] es = row.esMs().clone();
            double[] sg = row.sketchgateMs().clone();
            Arrays.sort(es);
            Arrays.sort(sg);
            Arrays.sort(ratios);
            double ratio = percentile(ratios, 0.5);
            System.out.printf(
                    Locale.ROOT,
                    line,
                    row.chart(),
                    format(percentile(es, 0.5)),
                    format(percentile(es, 0.99)),
                    format(percentile(sg, 0.5)),
                    format(percentile(sg, 0.99)),
                    format(percentile(sortedCopy(row.sketchgateTook()), 0.5)),
                    format(percentile(sortedCopy(row.floorMs()), 0.5)),
                    String.format(Locale.ROOT, "%.1fx", ratio),
                    String.format(Locale.ROOT, "%.1fx", ratios[0]),
                    row.esCpuEs() + " ms",
                    row.esCpuSketchgate() + " ms",
                    String.format(Locale.ROOT, "%.2f", row.ownRequests() / (double) row.esMs().length),
                    (ratio >= TARGET_RATIO ? "met" : "MISSED")
                            + String.format(Locale.ROOT, " (>= %.0fx)", TARGET_RATIO));
        }
        for (Row row : rows) {
            if (row.pageViewsCompared() > 0) {
                System.out.printf(
                        Locale.ROOT,
                        "Page views of %s: %,d compared with Elasticsearch's (hits.total and the doc_count of every"
                                + " bucket both answers hold), %d differed%n",
                        row.chart(),
                        row.pageViewsCompared(),
                        row.pageViewsDiffering());
            }
        }
        for (Row row : rows) {
            if (row.ownRequests() > 0) {
                System.out.printf(
                        Locale.ROOT,
                        "Requests of %s: %d over %d windows; %d windows searched the source, %d read sketches by id%n",
                        row.chart(),
                        row.ownRequests(),
                        row.esMs().length,
                        row.reads().sourceSearched(),
                        row.reads().sketchesRead());
            }
        }
        printPauses(rows);
        for (Row row : rows) {
            double[] differences = sortedCopy(row.uniqueCountDifferences());
            if (differences.length > 0) {
                System.out.printf(
                        Locale.ROOT,
                        "Unique counts of %s: %,d compared with Elasticsearch's cardinality (an estimate too past 3,000),"
                                + " relative difference median %.2f%%, p99 %.2f%%, max %.2f%%%n",
                        row.chart(),
                        differences.length,
                        100 * percentile(differences, 0.5),
                        100 * percentile(differences, 0.99),
                        100 * differences[differences.length - 1]);
            }
        }
        double[] floor = sortedCopy(rows.stream()
                .flatMapToDouble(row -> Arrays.stream(row.floorMs()))
                .toArray());
        if (floor.length > 0) {
            System.out.printf(
                    Locale.ROOT,
                    "%nRound-trip floor: GET /_sketchgate/health right after an Elasticsearch chart, where Sketchgate is"
                            + " asked in the other windows (a request that does no work, after the same idle wait):"
                            + " p50 %s ms, p99 %s ms (%d times)%n",
                    format(percentile(floor, 0.5)),
                    format(percentile(floor, 0.99)),
                    floor.length);
        }
    }

    private static double[] sortedCopy(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted;
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
                KibanaRewriteMode.ON,
                EdgeReads.DEFAULT);
    }

    /** The proxy's config file: the benchmark's definition with the rewrite on and nothing running beside it. */
    private static String yaml(URI elasticsearch, SampleWebLogs logs, String sketchCache) throws IOException {
        int port;
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return """
                listeners:
                  elasticsearch: { host: 127.0.0.1, port: %d }
                elasticsearch:
                  hosts: ["%s"]
                metrics:
                  unauthenticated_scrape_from: ["127.0.0.1"]
                unique_counts:
                  - name: weblogs_uv
                    source: "%s"
                    unique_field: user_id
                    dimensions: [country, device]
                    granularity: 1h
                    time_zones: [UTC, Europe/Berlin]
                    kibana_rewrite: "on"
                    realtime: { enabled: false, schedule: false }
                uv_cache:
                  max_sketch_bytes: %s
                """.formatted(port, elasticsearch, logs.indexPattern(), sketchCache);
    }

    private static void log(String message) {
        System.err.println("[kibana-bench] " + message);
    }
}
