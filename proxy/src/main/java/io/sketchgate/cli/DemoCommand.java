package io.sketchgate.cli;

import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.demo.SampleWebLogs;
import io.sketchgate.demo.SampleWebLogsLoader;
import io.sketchgate.embedded.ElasticsearchVersion;
import io.sketchgate.embedded.EmbeddedElasticsearch;
import io.sketchgate.server.ProxyServer;
import io.sketchgate.uniques.PrecomputeJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sketchgate demo}: a real Elasticsearch with a month of sample web logs, precomputed as the unique count
 * {@code weblogs_uv}, and the proxy in front of it, in one command, showing all three of Sketchgate's users at work:
 * an admin, and two analysts with a time-range limit and a request quota ({@link DemoConfig}, {@link DemoUsers}),
 * with examples that work as printed ({@link DemoBanner}). Ports are checked before anything slow starts. Ctrl-C
 * stops the proxy first (letting requests finish), then Elasticsearch.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Start Elasticsearch, load sample web logs and run the proxy in front of it.")
public final class DemoCommand implements Callable<Integer> {

    private static final String LOOPBACK = "127.0.0.1";

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
                    "Elasticsearch data and logs of this run, deleted on exit: a new or empty directory (default: a"
                            + " new temporary directory).")
    private Path workDir;

    @Option(
            names = "--password",
            paramLabel = "PASSWORD",
            description = "Password of the demo's admin user (default: a random one, printed at start); the analysts"
                    + " alice and bob always get random ones.")
    private String adminPassword;

    @Option(names = "--kibana", description = "Also print the kibana.yml lines that point a local Kibana at the demo.")
    private boolean kibanaLines;

    private final DemoServices services = new DemoServices();

    /** Progress is redrawn in place with \r on a terminal only; redirected output gets a line per tenth. */
    private final boolean terminal = System.console() != null;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String version = esVersion != null ? esVersion : ElasticsearchVersion.ofBuild();
        if (adminPassword != null
                && (adminPassword.isEmpty()
                        || adminPassword.getBytes(StandardCharsets.UTF_8).length
                                > HashPasswordCommand.MAX_PASSWORD_BYTES)) {
            spec.commandLine()
                    .getErr()
                    .println("--password must be 1 to " + HashPasswordCommand.MAX_PASSWORD_BYTES
                            + " bytes long (bcrypt ignores the rest).");
            return Main.EXIT_FAILED;
        }
        if (!portsAreFree(spec.commandLine().getErr())) {
            return Main.EXIT_FAILED;
        }
        if (workDir != null && holdsFiles(workDir)) {
            // a run that was killed could not delete it; its Elasticsearch data would clash with the sample's indices
            spec.commandLine()
                    .getErr()
                    .println("--work-dir " + workDir + " is not empty (a demo run that was killed leaves its"
                            + " Elasticsearch data there): delete it or choose another directory.");
            return Main.EXIT_FAILED;
        }
        DemoUsers users = DemoUsers.generate(Optional.ofNullable(adminPassword), new SecureRandom());
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
            SketchgateConfig config = DemoConfig.load(DemoConfig.yaml(
                    elasticsearch.httpUris(),
                    port,
                    Optional.ofNullable(kibanaUpstream),
                    kibanaPort,
                    logs.indexPattern(),
                    users));
            UniqueCountDefinition uniques = config.uniqueCounts().definitions().get(0);
            try (RestClient client =
                    RestClient.builder(HttpHost.create(upstream.toString())).build()) {
                Progress loading = new Progress(out, terminal);
                new SampleWebLogsLoader(client, 0)
                        .load(
                                logs,
                                loaded -> loading.report(
                                        String.format(
                                                Locale.ROOT,
                                                "Loading sample web logs into %s: %,d / %,d",
                                                logs.indexPattern(),
                                                loaded,
                                                logs.eventCount()),
                                        loaded,
                                        logs.eventCount()));
                loading.end();
                out.printf(
                        "Loaded %,d page views from %s to %s into %s%n",
                        logs.eventCount(), logs.start(), logs.end(), String.join(", ", logs.indices()));
                precompute(out, client, uniques, logs);
            }

            ProxyServer proxy = services.proxy(ProxyServer.start(config));
            new DemoBanner(proxy.elasticsearchAddress(), logs.indexPattern(), users, logs.end())
                    .print(out, proxy.kibanaAddress(), upstream, kibanaLines, elasticsearch.version());
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

    /** Every port the demo listens on, checked before a minute goes into Elasticsearch and the sample. */
    private boolean portsAreFree(PrintWriter err) {
        Optional<String> busy = BusyPorts.busy(LOOPBACK, port);
        if (busy.isPresent()) {
            err.println(BusyPorts.message(LOOPBACK, port, busy.get(), "choose another with --port"));
            return false;
        }
        if (kibanaUpstream != null) {
            busy = BusyPorts.busy(LOOPBACK, kibanaPort);
            if (busy.isPresent()) {
                err.println(BusyPorts.message(LOOPBACK, kibanaPort, busy.get(), "choose another with --kibana-port"));
                return false;
            }
        }
        return true;
    }

    /** Precomputes every closed hour of the sample; the UV API reads the newer ones from the source. */
    private void precompute(PrintWriter out, RestClient client, UniqueCountDefinition definition, SampleWebLogs logs)
            throws java.io.IOException, InterruptedException {
        Instant closed = Instant.now().minus(definition.lateness()).truncatedTo(ChronoUnit.HOURS);
        Instant to = closed.isBefore(logs.end()) ? closed : logs.end();
        if (!logs.start().isBefore(to)) {
            return;
        }
        Progress progress = new Progress(out, terminal);
        PrecomputeJob.Result result = PrecomputeJob.builder(client, definition)
                .granulesPerRequest(24)
                .progress(p -> progress.report(
                        String.format(Locale.ROOT, "Precomputing %s: %,d buckets", p.definition(), p.bucketsWritten()),
                        p.granulesDone(),
                        p.granulesTotal()))
                .build()
                .run(logs.start(), to);
        progress.end();
        out.printf(
                Locale.ROOT,
                "Precomputed %s: %,d buckets up to %s in %.1fs%n",
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

    private static boolean holdsFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Files.exists(dir);
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running already and closes what is left
        }
    }
}
