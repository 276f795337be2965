package io.sketchgate.cli;

import io.sketchgate.config.AccessLogConfig;
import io.sketchgate.config.ElasticsearchConfig;
import io.sketchgate.config.KibanaListenerConfig;
import io.sketchgate.config.LimitsConfig;
import io.sketchgate.config.ListenerConfig;
import io.sketchgate.config.ListenersConfig;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.config.UniqueCountsConfig;
import io.sketchgate.demo.SampleWebLogs;
import io.sketchgate.demo.SampleWebLogsLoader;
import io.sketchgate.embedded.ElasticsearchVersion;
import io.sketchgate.embedded.EmbeddedElasticsearch;
import io.sketchgate.server.ProxyServer;
import io.sketchgate.uniques.PrecomputeJob;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sketchgate demo}: a real Elasticsearch with a month of sample web logs, precomputed as the unique count
 * {@code weblogs_uv}, and the proxy in front of it, in one command. Ctrl-C stops the proxy first (letting requests finish), then Elasticsearch.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Start Elasticsearch, load sample web logs and run the proxy in front of it.")
public final class DemoCommand implements Callable<Integer> {

    /** The demo is configured in code, not read from a file; this names it in messages. */
    static final Path CONFIG_SOURCE = Path.of("(sketchgate demo)");

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--es-version",
            paramLabel = "VERSION",
            description = "Elasticsearch version to run: 7.17.29, 8.19.7 or 9.2.0 (default: the build's).")
    private String esVersion;

    @Option(
            names = "--events",
            defaultValue = "1000000",
            paramLabel = "N",
            description = "Sample page views to load (default: ${DEFAULT-VALUE}).")
    private long events;

    @Option(
            names = "--days",
            defaultValue = "30",
            paramLabel = "N",
            description = "Days the sample spans, ending at the current hour (default: ${DEFAULT-VALUE}).")
    private int days;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the sample data (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(
            names = "--port",
            defaultValue = "9201",
            description = "Port of the proxy's Elasticsearch-facing listener on 127.0.0.1; 0 picks a free one "
                    + "(default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--kibana-upstream",
            paramLabel = "URL",
            description = "Kibana server to put the proxy's Kibana listener in front of, e.g. http://127.0.0.1:5601.")
    private URI kibanaUpstream;

    @Option(
            names = "--kibana-port",
            defaultValue = "5602",
            description = "Port of the Kibana listener, used with --kibana-upstream (default: ${DEFAULT-VALUE}).")
    private int kibanaPort;

    @Option(
            names = "--es-dist",
            paramLabel = "PATH",
            description = "The Elasticsearch integ-test-zip, or a directory holding it (default: proxy/target/es-dist, "
                    + "then ~/.m2).")
    private Path esDist;

    @Option(
            names = "--es-cache",
            paramLabel = "DIR",
            description = "Where Elasticsearch is unpacked once per version (default: <tmp>/sketchgate-es).")
    private Path esCache;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description =
                    "Elasticsearch data and logs of this run, deleted on exit (default: a new temporary directory).")
    private Path workDir;

    private final DemoServices services = new DemoServices();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String version = esVersion != null ? esVersion : ElasticsearchVersion.ofBuild();
        Thread shutdown = new Thread(services::close, "sketchgate-demo-shutdown");
        // registered first, so Ctrl-C during the long data load also stops Elasticsearch
        Runtime.getRuntime().addShutdownHook(shutdown);
        try {
            out.printf("Starting Elasticsearch %s (about 20 s)...%n", version);
            out.flush();
            // handed over before starting, so a failed or interrupted start is cleaned up too
            EmbeddedElasticsearch elasticsearch = services.elasticsearch(elasticsearch(version));
            elasticsearch.start();
            URI upstream = elasticsearch.httpUris().get(0);
            out.printf(
                    "Elasticsearch %s is up at %s (Java %s, logs in %s)%n",
                    elasticsearch.version(), upstream, elasticsearch.javaHome(), elasticsearch.workDir());

            SampleWebLogs logs =
                    SampleWebLogs.builder().seed(seed).events(events).days(days).build();
            UniqueCountDefinition uniques = uniqueCounts(logs);
            try (RestClient client =
                    RestClient.builder(HttpHost.create(upstream.toString())).build()) {
                new SampleWebLogsLoader(client, 0).load(logs, loaded -> progress(out, logs, loaded));
                out.printf(
                        "%nLoaded %,d page views from %s to %s into %s%n",
                        logs.eventCount(), logs.start(), logs.end(), String.join(", ", logs.indices()));
                precompute(out, client, uniques, logs);
            }

            ProxyServer proxy = services.proxy(ProxyServer.start(
                    proxyConfig(elasticsearch.httpUris(), port, Optional.ofNullable(kibanaUpstream), kibanaPort)
                            .withUniqueCounts(new UniqueCountsConfig(List.of(uniques)))));
            printUsage(out, proxy.elasticsearchAddress(), proxy.kibanaAddress(), upstream, logs);
            services.awaitClosed();
            return 0;
        } catch (Exception | Error e) {
            if (services.isClosing()) {
                // Ctrl-C pulled Elasticsearch away from under the data load: not an error to report
                return 130;
            }
            services.close();
            removeHook(shutdown);
            throw e;
        }
    }

    /** Stops the demo as Ctrl-C would; for tests, which cannot send the JVM a signal. */
    void stop() {
        services.close();
    }

    /** The proxy's configuration: what a YAML file for this set-up would say. */
    static SketchgateConfig proxyConfig(
            List<URI> elasticsearch, int port, Optional<URI> kibanaUpstream, int kibanaPort) {
        return new SketchgateConfig(
                CONFIG_SOURCE,
                new ListenersConfig(
                        new ListenerConfig("127.0.0.1", port, Optional.empty()),
                        kibanaUpstream.map(upstream -> new KibanaListenerConfig(
                                "127.0.0.1", kibanaPort, upstream, Optional.empty(), Optional.empty()))),
                new ElasticsearchConfig(
                        elasticsearch,
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
                new AccessLogConfig(Optional.of(Path.of("logs/access.jsonl"))));
    }

    /** The demo's unique count: distinct users by country and device, hourly, with UTC and Seoul calendars. */
    static UniqueCountDefinition uniqueCounts(SampleWebLogs logs) {
        return new UniqueCountDefinition(
                "weblogs_uv",
                logs.indexPattern(),
                "@timestamp",
                "user_id",
                List.of("country", "device"),
                Duration.ofHours(1),
                List.of(ZoneId.of("UTC"), ZoneId.of("Asia/Seoul")),
                14,
                Duration.ofMinutes(15),
                5_000_000);
    }

    /** Precomputes every closed hour of the sample; the UV API reads the newer ones from the source. */
    private static void precompute(
            PrintWriter out, RestClient client, UniqueCountDefinition definition, SampleWebLogs logs)
            throws java.io.IOException, InterruptedException {
        Instant closed = Instant.now().minus(definition.lateness()).truncatedTo(ChronoUnit.HOURS);
        Instant to = closed.isBefore(logs.end()) ? closed : logs.end();
        if (!logs.start().isBefore(to)) {
            return;
        }
        PrecomputeJob.Result result = PrecomputeJob.builder(client, definition)
                .granulesPerRequest(24)
                .progress(p -> {
                    out.printf(
                            Locale.ROOT,
                            "\rPrecomputing %s: %d%% (%,d buckets)",
                            p.definition(),
                            p.granulesTotal() == 0 ? 100 : p.granulesDone() * 100 / p.granulesTotal(),
                            p.bucketsWritten());
                    out.flush();
                })
                .build()
                .run(logs.start(), to);
        out.printf(
                Locale.ROOT,
                "%nPrecomputed %s: %,d buckets up to %s in %.1fs%n",
                definition.name(),
                result.bucketsWritten(),
                to,
                result.took().toMillis() / 1000.0);
    }

    private EmbeddedElasticsearch elasticsearch(String version) throws java.io.IOException {
        EmbeddedElasticsearch.Builder builder = EmbeddedElasticsearch.builder()
                .version(version)
                .nodes(1)
                .heap("1g")
                // our own hook stops the proxy before Elasticsearch
                .destroyOnJvmExit(false);
        if (esDist != null) {
            builder.searchPath(List.of(esDist));
        }
        if (esCache != null) {
            builder.unpackRoot(esCache);
        }
        if (workDir != null) {
            builder.workDir(workDir);
        }
        return builder.build();
    }

    private static void progress(PrintWriter out, SampleWebLogs logs, long loaded) {
        out.printf(
                Locale.ROOT,
                "\rLoading sample web logs into %s: %,d / %,d (%d%%)",
                logs.indexPattern(),
                loaded,
                logs.eventCount(),
                logs.eventCount() == 0 ? 100 : loaded * 100 / logs.eventCount());
        out.flush();
    }

    private static void printUsage(
            PrintWriter out,
            InetSocketAddress proxy,
            Optional<InetSocketAddress> kibana,
            URI upstream,
            SampleWebLogs logs) {
        String base = "http://" + proxy.getHostString() + ":" + proxy.getPort();
        out.println();
        out.printf("Sketchgate proxy:      %s  ->  Elasticsearch %s%n", base, upstream);
        kibana.ifPresent(address ->
                out.printf("Kibana listener:       http://%s:%d%n", address.getHostString(), address.getPort()));
        out.printf("Access log:            %s%n", Path.of("logs/access.jsonl").toAbsolutePath());
        out.println();
        out.println("Try:");
        out.printf("  curl -s '%s/_cluster/health?pretty'%n", base);
        out.printf("  curl -s '%s/_cat/indices/%s?v'%n", base, logs.indexPattern());
        out.printf(
                "  curl -s -H 'Content-Type: application/json' '%s/%s/_search?pretty' -d '%s'%n",
                base, logs.indexPattern(), uniqueUsersPerDay(logs));
        out.println();
        out.println("Unique users and page views from the precomputed sketches (docs/uv-api.md):");
        String uv = base + "/_sketchgate/uv/weblogs_uv";
        out.printf("  curl -s '%s?from=now-7d/d&interval=1d&time_zone=Asia/Seoul'%n", uv);
        out.printf(
                "  curl -s '%s?from=now-%dd&interval=1w&split=country&filter.device=mobile'%n",
                uv, Math.max(1, logs.days()));
        out.printf("  curl -s '%s?from=now-1d&interval=1h&split=device&format=csv'%n", uv);
        out.println();
        out.println("Press Ctrl-C to stop (proxy first, then Elasticsearch).");
        out.flush();
    }

    /** Unique users per day over the last week: the query Sketchgate answers from sketches. */
    static String uniqueUsersPerDay(SampleWebLogs logs) {
        return "{\"size\":0,\"query\":{\"range\":{\"@timestamp\":{\"gte\":\""
                + logs.end().minus(Duration.ofDays(7))
                + "\",\"lt\":\"" + logs.end()
                + "\"}}},\"aggs\":{\"per_day\":{\"date_histogram\":{\"field\":\"@timestamp\","
                + "\"calendar_interval\":\"day\"},\"aggs\":{\"users\":{\"cardinality\":{\"field\":\"user_id\"}}}}}}";
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running already and closes what is left
        }
    }
}
