package io.sketchgate.uniques;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A proxy in its own JVM, as {@code sketchgate run} starts it, so a benchmark measures it apart from the client and
 * from Elasticsearch. Reads its counters from {@code /_sketchgate/metrics} and its CPU from {@code /proc}.
 */
public final class ProxyProcess implements AutoCloseable {
    private static final Pattern PORT = Pattern.compile("port: (\\d+)");
    private static final Pattern LAUNCHER_OPTIONS = Pattern.compile("default_java_opts=\"([^\"]*)\"");
    private final Process process;
    private final URI uri;
    private final Path config;
    private final Path gcLog;
    private final HttpClient http = HttpClient.newHttpClient();

    private ProxyProcess(Process process, URI uri, Path config, Path gcLog) {
        this.process = process;
        this.uri = uri;
        this.config = config;
        this.gcLog = gcLog;
    }

    public static ProxyProcess start(Path jar, String heap, String config) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: build it with ./mvnw -B -q -DskipTests -pl proxy -am package");
        }
        Path file = Files.createTempFile("sketchgate-bench", ".yml");
        Files.writeString(file, config);
        Matcher port = PORT.matcher(config);
        if (!port.find()) {
            throw new IllegalArgumentException("the config names no listener port");
        }
        Path log = Files.createTempFile("sketchgate-bench", ".log");
        Path gcLog = Files.createTempFile("sketchgate-bench-gc", ".log");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add(gcLogOption(gcLog)); // before the replaced options, which may log GC elsewhere as well
        List<String> replaced = replacedJavaOptions();
        command.addAll(replaced.isEmpty() ? launcherJavaOptions(jar) : replaced);
        command.addAll(
                List.of("-Xms" + heap, "-Xmx" + heap, "-jar", jar.toString(), "run", "--config", file.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ProxyProcess proxy = new ProxyProcess(process, URI.create("http://127.0.0.1:" + port.group(1)), file, gcLog);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("the proxy exited: " + Files.readString(log));
            }
            try {
                HttpResponse<String> health = proxy.get("/_sketchgate/health");
                if (health.statusCode() == 200) {
                    return proxy;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                proxy.close();
                throw new IOException("the proxy was not ready within 2 minutes: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    /**
     * The JVM options the {@code ./sketchgate} launcher starts the proxy with by default (its collector and young
     * generation), read from the launcher beside the jar's module ({@code proxy/target/sketchgate.jar}), so the
     * benchmarked proxy runs as an operator's does.
     */
    static List<String> launcherJavaOptions(Path jar) throws IOException {
        Path launcher = jar.toAbsolutePath().getParent().getParent().getParent().resolve("sketchgate");
        for (String line : Files.readAllLines(launcher)) {
            Matcher options = LAUNCHER_OPTIONS.matcher(line);
            if (options.matches()) {
                return List.of(options.group(1).trim().split("\\s+"));
            }
        }
        throw new IOException(launcher + " sets no default_java_opts=\"...\" line");
    }

    /**
     * The JVM options of one run in place of the launcher's, from {@code SKETCHGATE_BENCH_PROXY_OPTS} (another
     * collector, a GC log), as the launcher's own {@code SKETCHGATE_JAVA_OPTS} replaces its defaults; empty when unset.
     * The heap stays {@code --proxy-heap}.
     */
    static List<String> replacedJavaOptions() {
        String options =
                System.getenv().getOrDefault("SKETCHGATE_BENCH_PROXY_OPTS", "").trim();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    /**
     * The proxy JVM's pause log, one line a collection with its UTC time, which {@link #gcPauses()} reads: cheap (a
     * line a collection) and what tells a slow answer from a pause it waited behind.
     */
    static String gcLogOption(Path file) {
        return "-Xlog:gc:file=" + file + ":utctime";
    }

    /** The pauses the proxy's JVM has logged so far ({@link #gcLogOption}). */
    public GcPauses gcPauses() throws IOException {
        return GcPauses.parse(Files.readAllLines(gcLog));
    }

    public URI uri() {
        return uri;
    }

    public long pid() {
        return process.pid();
    }

    /** The config file the proxy runs with: another proxy started with it (another port) reads the same data. */
    public Path config() {
        return config;
    }

    /**
     * {@code sketchgate_uv_elasticsearch_requests_total}, summed over definitions: requests the proxy sent to
     * Elasticsearch to answer unique-count questions so far, counted per answer (its background reads, such as
     * run-time limits or the catalogue's refresh, are not in it).
     */
    public long uvElasticsearchRequests() throws IOException, InterruptedException {
        String name = "sketchgate_uv_elasticsearch_requests_total{";
        // registered with a definition's first answer: read only after the warm-up answered some
        return (long) metricSum(name)
                .orElseThrow(() -> new IOException(
                        "no metric " + name + "...} yet: the proxy has answered no unique-count question"));
    }

    /** The proxy process's user + system CPU so far, in milliseconds. */
    public long cpuMillis() throws IOException {
        return cpuMillis(process.pid());
    }

    /** A process's user + system CPU so far, from /proc (Linux, 10 ms ticks), in milliseconds. */
    public static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        return ticks * 10; // USER_HZ is 100 on Linux
    }

    /** Heap in use after a full GC that {@code jcmd} asks the proxy for. */
    public long heapAfterGc() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor();
        return (long) metricSum("jvm_memory_used_bytes{area=\"heap\"").orElse(0);
    }

    /** The sum of the samples whose line starts with {@code prefix}; empty when there is none. */
    private OptionalDouble metricSum(String prefix) throws IOException, InterruptedException {
        double sum = 0;
        boolean found = false;
        for (String line : get("/_sketchgate/metrics").body().split("\n")) {
            if (line.startsWith(prefix)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri.resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
