package io.sketchgate.transport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Latency of the first requests after start: a fresh Sketchgate JVM ({@code java OPTS -jar sketchgate.jar run}, as a
 * user starts it) in front of a minimal blocking upstream in this process, then the Kibana-style
 * {@code POST /logs-web/_search} of {@link PassthroughAllocation} (or {@code GET /logs-web/_doc/1}) sent one at a
 * time over one keep-alive connection as soon as the health endpoint answers. Reports the time from launch to
 * ready (which includes the start-up warm-up when on), the first request, and the first 1000 (total, p50, p99,
 * max). With {@code --policy on}, a role named {@code default} governs every request (identity off), so the governed
 * path is what is measured. Run it with {@code --warmup on} and {@code off}; benchmarks/startup/run.sh alternates
 * them over several rounds.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sketchgate.transport.FirstRequestLatency \
 *     --jar proxy/target/sketchgate.jar [--java-opts "-Xmx512m"] [--warmup on|off] [--policy on|off]
 *     [--requests 1000] [--request search|get]
 * </pre>
 *
 * Prints one {@code RESULT warmup=... ready_ms=... first_ms=... total_ms=... p50_ms=... p99_ms=... max_ms=...} line.
 */
public final class FirstRequestLatency {
    private static final byte[] RESOLVED = ("{\"indices\":[{\"name\":\"logs-web\",\"attributes\":[\"open\"]}],"
                    + "\"aliases\":[],\"data_streams\":[]}")
            .getBytes(StandardCharsets.US_ASCII);

    private FirstRequestLatency() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of(
                "--jar", "proxy/target/sketchgate.jar",
                "--java-opts", "-Xmx512m",
                "--warmup", "on",
                "--policy", "off",
                "--requests", "1000",
                "--request", "search"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!options.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            options.put(args[i], args[i + 1]);
        }
        int requests = Integer.parseInt(options.get("--requests"));
        boolean search = options.get("--request").equals("search");
        boolean policy = options.get("--policy").equals("on");
        Path dir = Files.createTempDirectory("sketchgate-first");
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = probe.getLocalPort();
            probe.close();
            Thread upstreamThread = new Thread(() -> serve(upstream), "upstream");
            upstreamThread.setDaemon(true);
            upstreamThread.start();
            Path config = dir.resolve("sketchgate.yml");
            Files.writeString(
                    config,
                    "listeners:\n  elasticsearch: { host: 127.0.0.1, port: " + port + " }\n"
                            + "  warmup: " + options.get("--warmup") + "\n"
                            + "elasticsearch:\n  hosts: [\"http://127.0.0.1:" + upstream.getLocalPort() + "\"]\n"
                            + "  health_check_interval: 1h\n"
                            + "limits:\n  shutdown_grace: 1s\n"
                            + "access_log:\n  enabled: true\n  path: " + dir.resolve("access.jsonl") + "\n"
                            + (policy
                                    ? "roles:\n  default: { indices: [\"logs-*\"], max_time_range: 31d }\n"
                                            + "index_time_fields:\n  \"logs-*\": \"@timestamp\"\n"
                                    : ""));
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(Arrays.asList(options.get("--java-opts").trim().split("\\s+")));
            command.addAll(List.of("-jar", options.get("--jar"), "run", "--config", config.toString()));
            command.removeIf(String::isEmpty);
            long launched = System.nanoTime();
            Process proxy = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sketchgate.log").toFile())
                    .start();
            try {
                awaitReady(port, proxy, dir);
                long readyNanos = System.nanoTime() - launched;
                long[] micros = measure(port, requests, search);
                long total = Arrays.stream(micros).sum();
                long first = micros[0];
                Arrays.sort(micros);
                System.out.printf(
                        Locale.ROOT,
                        "RESULT warmup=%s policy=%s request=%s ready_ms=%d first_ms=%.2f total_ms=%.1f p50_ms=%.3f"
                                + " p99_ms=%.3f max_ms=%.2f%n",
                        options.get("--warmup"),
                        policy ? "on" : "off",
                        search ? "search" : "get",
                        readyNanos / 1_000_000,
                        first / 1000.0,
                        total / 1000.0,
                        micros[micros.length / 2] / 1000.0,
                        micros[(int) Math.min(micros.length - 1, Math.ceil(micros.length * 0.99) - 1)] / 1000.0,
                        micros[micros.length - 1] / 1000.0);
            } finally {
                proxy.destroy();
                proxy.waitFor();
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void awaitReady(int port, Process proxy, Path dir) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_sketchgate/health"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!proxy.isAlive()) {
                throw new IllegalStateException(
                        "sketchgate exited during start-up:\n" + Files.readString(dir.resolve("sketchgate.log")));
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("sketchgate not ready after 120 s");
    }

    /** Each request's latency in microseconds, in the order sent. */
    private static long[] measure(int port, int requests, boolean search) throws IOException {
        byte[] request = PassthroughAllocation.request(search);
        long[] micros = new long[requests];
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            client.setTcpNoDelay(true);
            OutputStream out = client.getOutputStream();
            InputStream in = new BufferedInputStream(client.getInputStream());
            for (int i = 0; i < requests; i++) {
                long start = System.nanoTime();
                out.write(request);
                out.flush();
                in.skipNBytes(StubUpstream.readHead(in));
                micros[i] = (System.nanoTime() - start) / 1000;
            }
        }
        return micros;
    }

    /** The upstream: index names for {@code _resolve/index} (the policy asks), the search response otherwise. */
    private static void serve(ServerSocket server) {
        byte[] search = StubUpstream.ok(PassthroughAllocation.searchResponse());
        byte[] resolved = StubUpstream.ok(RESOLVED);
        StubUpstream.serve(server, requestLine -> requestLine.contains("_resolve/index") ? resolved : search);
    }
}
