package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.config.AccessLogConfig;
import io.sketchgate.config.EdgeReads;
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
import io.sketchgate.server.ProxyServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.elasticsearch.client.RestClient;

/**
 * The core of the UV benchmark, against sample web logs already loaded into an Elasticsearch: (a) the precompute
 * of the whole data next to one composite scan of it, and (b) the same daily-UV questions answered by
 * Elasticsearch's {@code cardinality} and by the UV API through a running proxy, with latencies and errors
 * against the generator's truth. {@link UvBenchmark} is the command line around it; the smoke test runs it with
 * tiny data.
 */
final class UvBenchmarkRun {

    /** {@code precision_threshold} of the second Elasticsearch variant (ES's maximum is 40,000). */
    static final int HIGH_PRECISION_THRESHOLD = 40_000;
    /** Minutes the "last 7 days" question's end lies before the data's end: not on an hour, as Kibana's "now". */
    static final int UNALIGNED_MINUTES = 83;

    record Settings(String definitionName, int questionDays, int repetitions, int warmup) {
        Settings {
            if (questionDays < 1 || repetitions < 1 || warmup < 0) {
                throw new IllegalArgumentException("questionDays and repetitions must be positive, warmup >= 0");
            }
        }
    }

    /**
     * One way of answering a question: client-side latencies over the timed rounds, the server's own
     * {@code took} (ES {@code took}, UV API {@code took_ms}), and the last answer's errors.
     */
    record Side(String name, Latencies latencies, Latencies serverTook, AnswerErrors errors) {}

    record QuestionResult(DailyUvQuestion question, List<Side> sides) {
        Side side(String name) {
            return sides.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        }
    }

    record Result(
            SampleWebLogs logs,
            UniqueCountDefinition definition,
            CompositeScanBaseline.Scan scan,
            CompositeScanBaseline.Scan scanWithDimensions,
            PrecomputeJob.Result precompute,
            List<QuestionResult> questions,
            int repetitions,
            int warmup,
            ScaleFigures.Figures scale) {}

    static final String ES_DEFAULT = "ES cardinality (default precision)";
    static final String ES_HIGH = "ES cardinality (precision_threshold 40000)";
    static final String UV_API = "UV API via proxy";

    private final RestClient client;
    private final URI elasticsearch;
    private final PrintStream progress;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final ObjectMapper json = new ObjectMapper();

    UvBenchmarkRun(RestClient client, URI elasticsearch, PrintStream progress) {
        this.client = client;
        this.elasticsearch = elasticsearch;
        this.progress = progress;
    }

    /** The demo's definition (1h, UTC and Asia/Seoul, country and device), with no tailer or scheduler. */
    static UniqueCountDefinition definition(String name, SampleWebLogs logs) {
        UniqueCountDefinition definition = new UniqueCountDefinition(
                name,
                logs.indexPattern(),
                "@timestamp",
                "user_id",
                List.of("country", "device"),
                Duration.ofHours(1),
                List.of(ZoneId.of("UTC"), ZoneId.of("Asia/Seoul")),
                14,
                Duration.ofMinutes(15),
                5_000_000,
                RealtimeSettings.defaults(Duration.ofHours(1), Duration.ofMinutes(15)),
                KibanaRewriteMode.DEFAULT,
                EdgeReads.DEFAULT);
        RealtimeSettings defaults = definition.realtime();
        // the data is closed and fixed: nothing to tail, nothing for the scheduler to add while we measure
        return definition.withRealtime(new RealtimeSettings(
                false,
                defaults.pollInterval(),
                defaults.overlap(),
                defaults.persistInterval(),
                defaults.maxOpenGranules(),
                defaults.maxSketches(),
                false,
                defaults.scheduleInterval()));
    }

    /** Daily UV over the last {@code days} days of the data, and the last 7 days ending off the hour. */
    static List<DailyUvQuestion> questions(SampleWebLogs logs, int days) {
        int span = Math.min(days, logs.days());
        Instant unalignedEnd = logs.end().minus(Duration.ofMinutes(UNALIGNED_MINUTES));
        return List.of(
                new DailyUvQuestion("daily UV, " + span + " days", logs.end().minus(Duration.ofDays(span)), logs.end()),
                new DailyUvQuestion(
                        "daily UV, last 7 days unaligned", unalignedEnd.minus(Duration.ofDays(7)), unalignedEnd));
    }

    Result run(SampleWebLogs logs, Settings settings) throws IOException, InterruptedException {
        UniqueCountDefinition definition = definition(settings.definitionName(), logs);
        List<DailyUvQuestion> questions = questions(logs, settings.questionDays());
        progress.println("Computing the truth from the generator...");
        List<Map<Instant, Long>> truth = UvBenchTruth.of(logs, questions);

        CompositeScanBaseline baseline = new CompositeScanBaseline(client, definition, 10_000);
        progress.println(
                "(a) Warm-up: one untimed composite scan (JIT, caches), so the first timed reader is not penalised...");
        baseline.scan(logs.start(), logs.end(), List.of());
        progress.println("(a) One composite scan (1h + user_id) of all data...");
        CompositeScanBaseline.Scan scan = baseline.scan(logs.start(), logs.end(), List.of());
        progress.println("(a) One composite scan with the job's sources (1h + dimensions + user_id)...");
        CompositeScanBaseline.Scan scanWithDimensions =
                baseline.scan(logs.start(), logs.end(), definition.dimensions());
        progress.println("(a) PrecomputeJob over all data...");
        // the demo's batch size: a day of hourly granules per composite request
        PrecomputeJob.Result precompute = PrecomputeJob.builder(client, definition)
                .granulesPerRequest(24)
                .recompute(true)
                .build()
                .run(logs.start(), logs.end());

        List<QuestionResult> results = new ArrayList<>();
        long heapWithProxy;
        try (ProxyServer proxy = ProxyServer.start(proxyConfig(definition))) {
            URI proxyUri = URI.create(
                    "http://127.0.0.1:" + proxy.elasticsearchAddress().getPort());
            for (int q = 0; q < questions.size(); q++) {
                progress.printf(
                        "(b) %s: %d warm-up + %d timed rounds...%n",
                        questions.get(q).label(), settings.warmup(), settings.repetitions());
                results.add(measure(questions.get(q), truth.get(q), definition, proxyUri, settings));
            }
            heapWithProxy = ScaleFigures.heapAfterGc(); // caches still warm from the questions
        }
        ScaleFigures.Figures scale = new ScaleFigures.Figures(
                ScaleFigures.size(client, definition.source()),
                ScaleFigures.size(client, UvIndex.name(definition)),
                heapWithProxy,
                ScaleFigures.heapAfterGc());
        return new Result(
                logs,
                definition,
                scan,
                scanWithDimensions,
                precompute,
                results,
                settings.repetitions(),
                settings.warmup(),
                scale);
    }

    /** Rounds of the three sides in turn, so a change in the machine's load hits all of them alike. */
    private QuestionResult measure(
            DailyUvQuestion question,
            Map<Instant, Long> truth,
            UniqueCountDefinition definition,
            URI proxy,
            Settings settings)
            throws IOException, InterruptedException {
        URI search = elasticsearch.resolve("/" + definition.source() + "/_search?request_cache=false");
        List<HttpRequest> requests = List.of(
                esRequest(
                        search,
                        question.elasticsearchBody(
                                definition.timeField(),
                                definition.uniqueField(),
                                DailyUvQuestion.DEFAULT_PRECISION_THRESHOLD)),
                esRequest(
                        search,
                        question.elasticsearchBody(
                                definition.timeField(), definition.uniqueField(), HIGH_PRECISION_THRESHOLD)),
                HttpRequest.newBuilder(proxy.resolve(question.uvApiPath(definition.name())))
                        .GET()
                        .timeout(Duration.ofMinutes(10))
                        .build());
        List<String> names = List.of(ES_DEFAULT, ES_HIGH, UV_API);
        long[][] nanos = new long[requests.size()][settings.repetitions()];
        long[][] tookNanos = new long[requests.size()][settings.repetitions()];
        String[] last = new String[requests.size()];
        for (int round = 0; round < settings.warmup() + settings.repetitions(); round++) {
            for (int side = 0; side < requests.size(); side++) {
                long started = System.nanoTime();
                last[side] = send(requests.get(side));
                long took = System.nanoTime() - started;
                if (round >= settings.warmup()) {
                    nanos[side][round - settings.warmup()] = took;
                    // parsed after the clock stopped, so it costs neither side anything
                    tookNanos[side][round - settings.warmup()] = json.readTree(last[side])
                                    .path(side == 2 ? "took_ms" : "took")
                                    .asLong()
                            * 1_000_000;
                }
            }
        }
        List<Side> sides = new ArrayList<>();
        for (int side = 0; side < requests.size(); side++) {
            Map<Instant, Long> answer = side == 2 ? uvApiAnswer(last[side]) : elasticsearchAnswer(last[side]);
            sides.add(new Side(
                    names.get(side),
                    new Latencies(nanos[side]),
                    new Latencies(tookNanos[side]),
                    AnswerErrors.of(truth, answer)));
        }
        return new QuestionResult(question, sides);
    }

    private static HttpRequest esRequest(URI search, String body) {
        return HttpRequest.newBuilder(search)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private String send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private Map<Instant, Long> elasticsearchAnswer(String body) throws IOException {
        Map<Instant, Long> answer = new LinkedHashMap<>();
        for (JsonNode bucket :
                json.readTree(body).path("aggregations").path("days").path("buckets")) {
            answer.put(
                    Instant.ofEpochMilli(bucket.path("key").asLong()),
                    bucket.path("users").path("value").asLong());
        }
        return answer;
    }

    private Map<Instant, Long> uvApiAnswer(String body) throws IOException {
        Map<Instant, Long> answer = new LinkedHashMap<>();
        for (JsonNode bucket : json.readTree(body).path("buckets")) {
            answer.put(
                    OffsetDateTime.parse(bucket.path("key").asText()).toInstant(),
                    bucket.path("uv").asLong());
        }
        return answer;
    }

    /** The proxy as `sketchgate run` would start it for this definition, on a free port, access log off. */
    private SketchgateConfig proxyConfig(UniqueCountDefinition definition) {
        return new SketchgateConfig(
                        Path.of("(uv benchmark)"),
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
                                Duration.ofMinutes(5),
                                LimitsConfig.DEFAULT_HEADER_TIMEOUT,
                                LimitsConfig.DEFAULT_MAX_CONNECTIONS),
                        new AccessLogConfig(Optional.empty()))
                .withUniqueCounts(new UniqueCountsConfig(List.of(definition)));
    }
}
