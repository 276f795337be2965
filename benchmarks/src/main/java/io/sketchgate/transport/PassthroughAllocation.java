package io.sketchgate.transport;

import io.sketchgate.config.ConfigLoader;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.server.ProxyServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bytes the proxy's own threads allocate per forwarded request: the Kibana-style {@code POST /logs-web/_search}
 * of benchmarks/passthrough (or {@code GET /logs-web/_doc/1}, the streamed path), sent one at a time over one
 * keep-alive connection through an in-process Sketchgate to a minimal blocking upstream that answers a 2.4 KB
 * search response. Only threads named {@code sketchgate-*} are counted (event loops, the access-log writer), via
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}; the client and the upstream run on other
 * threads. Allocation counts, unlike timings, mean something on a busy machine.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sketchgate.transport.PassthroughAllocation \
 *     [--requests 50000] [--warmup 20000] [--access-log on|off] [--request search|get] [--policy off|on]
 * </pre>
 *
 * {@code --policy on} governs the request as benchmarks/passthrough/run.sh's policy target does: identity from
 * signed headers, role {@code analyst} over {@code logs-*} with a 31-day maximum and a rate limit far above the load.
 *
 * Prints per-thread figures and one {@code RESULT bytes_per_request=N} line.
 */
public final class PassthroughAllocation {
    private static final byte[] SEARCH_BODY = ("{\"size\":5,\"sort\":[{\"@timestamp\":{\"order\":\"desc\","
                    + "\"unmapped_type\":\"boolean\"}}],\"track_total_hits\":10000,\"query\":{\"bool\":{\"filter\":"
                    + "[{\"range\":{\"@timestamp\":{\"gte\":\"2025-11-25T08:10:00.000Z\",\"lte\":"
                    + "\"2025-11-25T08:25:00.000Z\",\"format\":\"strict_date_optional_time\"}}},{\"match_phrase\":"
                    + "{\"host.name\":\"web-01\"}}]}},\"aggs\":{\"per_minute\":{\"date_histogram\":{\"field\":"
                    + "\"@timestamp\",\"fixed_interval\":\"1m\",\"time_zone\":\"UTC\",\"min_doc_count\":1},"
                    + "\"aggs\":{\"unique_visitors\":{\"cardinality\":{\"field\":\"client.ip\"}}}}}}")
            .getBytes(StandardCharsets.US_ASCII);

    private static final byte[] RESPONSE = StubUpstream.ok(searchResponse());

    private PassthroughAllocation() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of(
                "--requests",
                "50000",
                "--warmup",
                "20000",
                "--access-log",
                "on",
                "--request",
                "search",
                "--policy",
                "off"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!options.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            options.put(args[i], args[i + 1]);
        }
        int requests = Integer.parseInt(options.get("--requests"));
        int warmup = Integer.parseInt(options.get("--warmup"));
        boolean accessLog = options.get("--access-log").equals("on");
        boolean search = options.get("--request").equals("search");
        boolean policy = options.get("--policy").equals("on");

        Path dir = Files.createTempDirectory("sketchgate-alloc");
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread upstreamThread = new Thread(() -> StubUpstream.serve(upstream, requestLine -> RESPONSE), "upstream");
            upstreamThread.setDaemon(true);
            upstreamThread.start();
            Path file = dir.resolve("sketchgate.yml");
            Files.writeString(
                    file,
                    "listeners:\n  elasticsearch: { host: 127.0.0.1, port: 0 }\n"
                            + "elasticsearch:\n  hosts: [\"http://127.0.0.1:" + upstream.getLocalPort() + "\"]\n"
                            + "  health_check_interval: 1h\n"
                            + "limits:\n  shutdown_grace: 1s\n"
                            + "access_log:\n  enabled: " + accessLog + "\n  path: " + dir.resolve("access.jsonl")
                            + "\n"
                            + (policy ? GOVERNED : ""));
            SketchgateConfig config = new ConfigLoader(Map.of()).load(file);
            try (ProxyServer proxy = ProxyServer.start(config);
                    Socket client = new Socket(
                            InetAddress.getLoopbackAddress(),
                            proxy.elasticsearchAddress().getPort())) {
                client.setTcpNoDelay(true);
                byte[] request = request(search, policy ? signedHeaders(config) : "");
                OutputStream out = client.getOutputStream();
                InputStream in = new BufferedInputStream(client.getInputStream());
                for (int i = 0; i < warmup; i++) {
                    exchange(out, in, request);
                }
                Thread.sleep(200); // the access-log writer's last batch of the warm-up
                Map<String, Long> before = proxyThreads();
                for (int i = 0; i < requests; i++) {
                    exchange(out, in, request);
                }
                Thread.sleep(200);
                Map<String, Long> after = proxyThreads();
                long total = 0;
                System.out.printf(
                        "%s %s, access log %s, policy %s: %d requests after %d warm-up%n",
                        search ? "POST" : "GET",
                        search ? "/logs-web/_search" : "/logs-web/_doc/1",
                        accessLog ? "on" : "off",
                        policy ? "on" : "off",
                        requests,
                        warmup);
                for (var entry : after.entrySet()) {
                    long bytes = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
                    total += bytes;
                    if (bytes > 0) {
                        System.out.printf(
                                Locale.ROOT,
                                "  %-36s %10.0f bytes/request%n",
                                entry.getKey(),
                                (double) bytes / requests);
                    }
                }
                System.out.printf(Locale.ROOT, "RESULT bytes_per_request=%.0f%n", (double) total / requests);
            }
        }
    }

    /** As benchmarks/passthrough/run.sh's policy target: a governed Kibana user. */
    private static final String GOVERNED = "identity:\n  sources: [signed_header]\n"
            + "  signed_header: { secret: \"benchmark-secret-0123456789abcdef0123456789\", max_age: 1d }\n"
            + "roles:\n  analyst: { indices: [\"logs-*\"], max_time_range: 31d, on_exceed: reject,"
            + " requests_per_minute: 1000000 }\n"
            + "index_time_fields:\n  \"logs-*\": \"@timestamp\"\n";

    private static String signedHeaders(SketchgateConfig config) {
        StringBuilder lines = new StringBuilder();
        io.sketchgate.identity.HeaderSignature.headers(
                        config.identity().signedHeader().orElseThrow().secret(),
                        "bench",
                        java.util.List.of("analyst"),
                        java.time.Instant.now().plus(java.time.Duration.ofDays(1)))
                .forEach((name, value) ->
                        lines.append(name).append(": ").append(value).append("\r\n"));
        return lines.toString();
    }

    static byte[] request(boolean search) {
        return request(search, "");
    }

    private static byte[] request(boolean search, String extraHeaders) {
        String head = (search ? "POST /logs-web/_search HTTP/1.1\r\n" : "GET /logs-web/_doc/1 HTTP/1.1\r\n")
                + "Host: localhost:9201\r\n"
                + "User-Agent: Kibana/8.19.7\r\n"
                + "Accept: application/json\r\n"
                + "X-Elastic-Product-Origin: kibana\r\n"
                + "X-Opaque-Id: 7b5e1a4c-2f0e-4a8e-9d8d-3c1f0b6a9e21;kibana:application:discover\r\n"
                + "Traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n"
                + extraHeaders
                + (search ? "Content-Type: application/json\r\nContent-Length: " + SEARCH_BODY.length + "\r\n" : "")
                + "\r\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        if (search) {
            bytes.writeBytes(SEARCH_BODY);
        }
        return bytes.toByteArray();
    }

    private static void exchange(OutputStream out, InputStream in, byte[] request) throws IOException {
        out.write(request);
        out.flush();
        in.skipNBytes(StubUpstream.readHead(in));
    }

    /** A ~2.4 KB search response with hits and a date histogram, like benchmarks/passthrough/search-response.json. */
    static byte[] searchResponse() {
        StringBuilder json = new StringBuilder("{\"took\":3,\"timed_out\":false,\"_shards\":{\"total\":1,"
                + "\"successful\":1,\"skipped\":0,\"failed\":0},\"hits\":{\"total\":{\"value\":1000,"
                + "\"relation\":\"eq\"},\"max_score\":null,\"hits\":[");
        for (int i = 0; i < 5; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"_index\":\"logs-web\",\"_id\":\"")
                    .append(i)
                    .append("\",\"_score\":null,\"_source\":{\"@timestamp\":\"2025-11-25T08:24:5")
                    .append(i)
                    .append(".000Z\",\"host\":{\"name\":\"web-01\"},\"client\":{\"ip\":\"10.0.0.")
                    .append(i)
                    .append("\"},\"url\":{\"path\":\"/products/")
                    .append(i)
                    .append("\"}},\"sort\":[1764059090000]}");
        }
        json.append("]},\"aggregations\":{\"per_minute\":{\"buckets\":[");
        for (int i = 0; i < 15; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"key_as_string\":\"2025-11-25T08:")
                    .append(10 + i)
                    .append(":00.000Z\",\"key\":17640594")
                    .append(i)
                    .append("0000,\"doc_count\":6")
                    .append(i)
                    .append(",\"unique_visitors\":{\"value\":4")
                    .append(i)
                    .append("}}");
        }
        return json.append("]}}}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static Map<String, Long> proxyThreads() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<String, Long> bytes = new TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("sketchgate-")) {
                bytes.merge(thread.getName(), mx.getThreadAllocatedBytes(thread.getId()), Long::sum);
            }
        }
        return bytes;
    }
}
