package io.sketchgate.rewrite;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.sketchgate.config.ConfigLoader;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.demo.SampleWebLogs;
import io.sketchgate.demo.SampleWebLogsLoader;
import io.sketchgate.embedded.ElasticsearchVersion;
import io.sketchgate.embedded.EmbeddedElasticsearch;
import io.sketchgate.server.ProxyServer;
import io.sketchgate.uniques.PrecomputeJob;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/**
 * Soak: mixed Kibana-like load through one proxy with policy (static identity, a governed role) and the Kibana
 * rewrite on, for a given time, sampling the proxy's heap after GC, open file descriptors and threads (the proxy
 * runs in this JVM; Elasticsearch in its own process). Prints the samples and a verdict: heap and descriptors flat,
 * no errors beyond the intended rejections (a 90-day query refused with 400 by the role's max_time_range).
 *
 * <pre>benchmarks/soak/run.sh [--minutes 30] [--events 200000] [--clients 4] [--sample-seconds 30]</pre>
 */
public final class Soak {
    private static final String PASSWORD = "soak-password";

    private Soak() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Duration length = Duration.ofMinutes(Long.parseLong(options.getOrDefault("minutes", "30")));
        long events = Long.parseLong(options.getOrDefault("events", "200000"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "4"));
        Duration sampleEvery = Duration.ofSeconds(Long.parseLong(options.getOrDefault("sample-seconds", "30")));
        Instant end = Instant.now().truncatedTo(ChronoUnit.DAYS);
        SampleWebLogs logs =
                SampleWebLogs.builder().seed(7).events(events).days(61).end(end).build();

        try (EmbeddedElasticsearch elasticsearch = EmbeddedElasticsearch.builder()
                .version(ElasticsearchVersion.ofBuild())
                .nodes(1)
                .heap("1g")
                .build()) {
            log("starting Elasticsearch");
            elasticsearch.start();
            URI upstream = elasticsearch.httpUris().get(0);
            SketchgateConfig config = config(upstream, logs);
            UniqueCountDefinition definition =
                    config.uniqueCounts().definitions().get(0);
            try (RestClient client =
                    RestClient.builder(HttpHost.create(upstream.toString())).build()) {
                new SampleWebLogsLoader(client, 0).load(logs, n -> {});
                PrecomputeJob.builder(client, definition)
                        .granulesPerRequest(24)
                        .build()
                        .run(logs.start(), logs.end());
            }
            log("loaded and precomputed " + events + " page views; soaking for " + length);
            try (ProxyServer proxy = ProxyServer.start(config)) {
                URI base = URI.create(
                        "http://127.0.0.1:" + proxy.elasticsearchAddress().getPort());
                run(base, logs, end, length, clients, sampleEvery);
            }
        }
    }

    private static void run(
            URI base, SampleWebLogs logs, Instant end, Duration length, int clients, Duration sampleEvery)
            throws Exception {
        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        LongAdder errors = new LongAdder();
        List<String> firstErrors = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(clients);
        String auth =
                "Basic " + Base64.getEncoder().encodeToString(("analyst:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        Instant to = end.minus(Duration.ofMinutes(7));
        Instant from = to.minus(Duration.ofDays(30)).plus(Duration.ofMinutes(3));
        String searchPath = "/" + logs.indexPattern() + "/_search";
        List<Request> mix = List.of(
                new Request(
                        "lens daily (rewritten)",
                        "POST",
                        searchPath,
                        KibanaRewriteBenchmark.LensChart.DAILY.body(from, to),
                        200),
                new Request(
                        "lens top 5 (rewritten)",
                        "POST",
                        searchPath,
                        KibanaRewriteBenchmark.LensChart.TOP5.body(from, to),
                        200),
                new Request(
                        "discover 15 min",
                        "POST",
                        searchPath,
                        "{\"size\":50,\"query\":{\"range\":{\"@timestamp\":" + "{\"gte\":\""
                                + to.minus(Duration.ofMinutes(15)) + "\",\"lte\":\"" + to + "\"}}}}",
                        200),
                new Request(
                        "90 days (refused)",
                        "POST",
                        searchPath,
                        "{\"size\":0,\"query\":{\"range\":{\"@timestamp\":" + "{\"gte\":\""
                                + to.minus(Duration.ofDays(90)) + "\",\"lte\":\"" + to + "\"}}}}",
                        400),
                new Request(
                        "msearch",
                        "POST",
                        "/" + logs.indexPattern() + "/_msearch",
                        "{}\n{\"size\":0,\"query\":{\"range\":" + "{\"@timestamp\":{\"gte\":\""
                                + to.minus(Duration.ofDays(1)) + "\",\"lte\":\"" + to + "\"}}}}\n",
                        200),
                new Request("cat indices", "GET", "/_cat/indices?format=json", null, 200));
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int c = 0; c < clients; c++) {
            int offset = c;
            load.submit(() -> {
                for (long i = offset; running.get(); i++) {
                    Request request = mix.get((int) (i % mix.size()));
                    try {
                        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + request.path()))
                                .header("Authorization", auth)
                                .timeout(Duration.ofSeconds(60))
                                .header(
                                        "content-type",
                                        request.path().contains("_msearch")
                                                ? "application/x-ndjson"
                                                : "application/json")
                                .method(
                                        request.method(),
                                        request.body() == null
                                                ? HttpRequest.BodyPublishers.noBody()
                                                : HttpRequest.BodyPublishers.ofString(request.body()));
                        HttpResponse<String> response =
                                http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                        outcomes.computeIfAbsent(request.name() + " " + response.statusCode(), k -> new LongAdder())
                                .increment();
                        boolean rewritten = response.headers()
                                .firstValue("X-Sketchgate-Source")
                                .isPresent();
                        if (response.statusCode() != request.expectedStatus()
                                || rewritten != request.name().contains("(rewritten)")) {
                            errors.increment();
                            if (firstErrors.size() < 5) {
                                firstErrors.add(request.name() + " → " + response.statusCode() + " "
                                        + response.body()
                                                .substring(
                                                        0,
                                                        Math.min(
                                                                300,
                                                                response.body().length())));
                            }
                        }
                    } catch (Exception e) {
                        errors.increment();
                        if (firstErrors.size() < 5) {
                            firstErrors.add(request.name() + " → " + e);
                        }
                    }
                }
                return null;
            });
        }
        List<long[]> samples = new ArrayList<>();
        Instant started = Instant.now();
        System.out.println("minute  heap after GC MB  open fds  threads  requests  errors");
        while (Duration.between(started, Instant.now()).compareTo(length) < 0) {
            Thread.sleep(Math.min(
                    sampleEvery.toMillis(),
                    Math.max(
                            1,
                            length.minus(Duration.between(started, Instant.now()))
                                    .toMillis())));
            long[] sample = sample(outcomes, errors);
            samples.add(sample);
            System.out.printf(
                    Locale.ROOT,
                    "%6.1f  %16.1f  %8d  %7d  %8d  %6d%n",
                    Duration.between(started, Instant.now()).toMillis() / 60000.0,
                    sample[0] / 1048576.0,
                    sample[1],
                    sample[2],
                    sample[3],
                    sample[4]);
        }
        running.set(false);
        load.shutdown();
        load.awaitTermination(2, TimeUnit.MINUTES);
        report(samples, outcomes, errors.sum(), firstErrors);
    }

    private static long[] sample(Map<String, LongAdder> outcomes, LongAdder errors) throws Exception {
        System.gc();
        Thread.sleep(200);
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long fds;
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            fds = open.count();
        }
        long requests = outcomes.values().stream().mapToLong(LongAdder::sum).sum();
        return new long[] {heap, fds, Thread.activeCount(), requests, errors.sum()};
    }

    private static void report(
            List<long[]> samples, Map<String, LongAdder> outcomes, long errors, List<String> firstErrors) {
        System.out.println();
        outcomes.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> System.out.printf(
                        Locale.ROOT, "  %-32s %,10d%n", e.getKey(), e.getValue().sum()));
        firstErrors.forEach(e -> System.out.println("  error: " + e));
        if (samples.size() < 3) {
            System.out.println("soak: too short to judge (fewer than 3 samples)");
            return;
        }
        long[] early = samples.get(1); // after warm-up
        long[] last = samples.get(samples.size() - 1);
        double heapGrowth = (last[0] - early[0]) / 1048576.0;
        long fdGrowth = last[1] - early[1];
        boolean heapFlat = heapGrowth < Math.max(32, early[0] / 1048576.0 * 0.25);
        boolean fdsFlat = fdGrowth <= 16;
        System.out.printf(
                Locale.ROOT,
                "heap after GC: %.1f MB -> %.1f MB (%+.1f MB): %s%n",
                early[0] / 1048576.0,
                last[0] / 1048576.0,
                heapGrowth,
                heapFlat ? "flat" : "GROWING");
        System.out.printf(
                Locale.ROOT,
                "open fds: %d -> %d (%+d): %s%n",
                early[1],
                last[1],
                fdGrowth,
                fdsFlat ? "flat" : "GROWING");
        System.out.printf(
                Locale.ROOT, "errors beyond the intended rejections: %d: %s%n", errors, errors == 0 ? "none" : "SOME");
        System.out.println("soak verdict: " + (heapFlat && fdsFlat && errors == 0 ? "met" : "MISSED"));
    }

    private record Request(String name, String method, String path, String body, int expectedStatus) {}

    private static SketchgateConfig config(URI elasticsearch, SampleWebLogs logs) throws Exception {
        Path file = Files.createTempFile("sketchgate-soak", ".yml");
        file.toFile().deleteOnExit();
        String hash = BCrypt.withDefaults().hashToString(6, PASSWORD.toCharArray());
        Files.writeString(file, """
                listeners: { elasticsearch: { host: 127.0.0.1, port: 0 } }
                elasticsearch: { hosts: ["%s"] }
                access_log: { enabled: false }
                identity: { sources: [static] }
                users: { analyst: { password_hash: "%s", roles: [analyst] } }
                roles: { analyst: { indices: ["%s"], max_time_range: 31d, max_concurrent: 8, max_queue: 100 } }
                index_time_fields: { "%s": "@timestamp" }
                unique_counts:
                  - name: soak_uv
                    source: "%s"
                    unique_field: user_id
                    dimensions: [country, device]
                    time_zones: [UTC, Europe/Berlin]
                    kibana_rewrite: on
                    realtime: { enabled: false, schedule: false }
                """.formatted(
                        elasticsearch, hash, logs.indexPattern(), logs.indexPattern(), logs.indexPattern()));
        return new ConfigLoader(Map.of()).load(file);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static void log(String message) {
        System.err.println("[soak] " + message);
    }
}
