package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.testing.ProxyUnderTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the client sees when upstream nodes refuse, hang, stall or drop connections. */
class UpstreamFailureTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void refusedConnection_gives502InElasticsearchShape_namingTheNode() throws Exception {
        int deadPort = freePort();
        try (ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(URI.create("http://127.0.0.1:" + deadPort))
                .shortTimeouts()
                .start()) {
            HttpResponse<String> response = get(proxy, "/logs/_search");
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.headers().firstValue("content-type")).contains("application/json");
            JsonNode body = JSON.readTree(response.body());
            String reason = "Sketchgate could not reach any elasticsearch node [http://127.0.0.1:" + deadPort + "]"
                    + " (connection refused). Check that the cluster is running and that the hosts in sketchgate.yml are right.";
            assertThat(body.at("/error/type").asText()).isEqualTo("sketchgate_upstream_unavailable_exception");
            assertThat(body.at("/error/reason").asText()).isEqualTo(reason);
            assertThat(body.at("/error/root_cause/0/reason").asText()).isEqualTo(reason);
            assertThat(body.at("/error/caused_by").isMissingNode()).isTrue();
            assertThat(body.get("status").asInt()).isEqualTo(502);
        }
    }

    @Test
    void connectionThatNeverCompletes_gives502WithinTheConnectTimeout() throws Exception {
        // A listening socket whose accept queue is full drops further SYNs, so connecting to it hangs.
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = fillAcceptQueue(full.getLocalPort());
            try (ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(
                            URI.create("http://127.0.0.1:" + full.getLocalPort()))
                    .shortTimeouts()
                    .limit("connect_timeout", "500ms")
                    .elasticsearch("health_check_interval", "1h")
                    .start()) {
                long start = System.nanoTime();
                HttpResponse<String> response = get(proxy, "/_cluster/health");
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(response.statusCode()).isEqualTo(502);
                assertThat(response.body()).contains("(connect timed out)");
                assertThat(millis).isBetween(400L, 3_000L);
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void nodeThatDoesNotAnswerInTime_gives504_andTheClientConnectionStaysUsable() throws Exception {
        try (RecordingServer slow = new RecordingServer()) {
            slow.on("/slow/_search", ex -> {
                sleep(3_000);
                RecordingServer.respond(ex, 200, "{}".getBytes(), Map.of());
            });
            try (ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(slow.uri())
                    .shortTimeouts()
                    .limit("response_timeout", "300ms")
                    .start()) {
                long start = System.nanoTime();
                HttpResponse<String> response = get(proxy, "/slow/_search");
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_500);
                assertThat(response.statusCode()).isEqualTo(504);
                JsonNode body = JSON.readTree(response.body());
                assertThat(body.at("/error/type").asText()).isEqualTo("sketchgate_upstream_timeout_exception");
                assertThat(body.at("/error/reason").asText())
                        .contains("did not start answering within 300ms (limits.response_timeout)");
            }
        }
    }

    @Test
    void idempotentRequest_isRetriedOnAnotherNode_whenTheFirstDropsTheConnectionBeforeAnswering() throws Exception {
        try (DroppingServer dropping = new DroppingServer();
                RecordingServer healthy = new RecordingServer()) {
            healthy.on("/", ex -> RecordingServer.respond(ex, 200, "{\"ok\":true}".getBytes(), Map.of()));
            try (ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(List.of(dropping.uri(), healthy.uri()))
                    .shortTimeouts()
                    .elasticsearch("health_check_interval", "1h")
                    .start()) {
                for (int i = 0; i < 4; i++) {
                    HttpResponse<String> search = send(
                            proxy,
                            HttpRequest.newBuilder(uri(proxy, "/logs/_search"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                    .header("content-type", "application/json"));
                    assertThat(search.statusCode()).isEqualTo(200);
                }
                assertThat(dropping.accepted.get()).isGreaterThan(0);
            }
        }
    }

    @Test
    void streamedQueryBody_isSentAgainWhole_whenTheFirstNodeDropsTheConnection() throws Exception {
        // a few KB: all of it reaches the dropping node, which reads 8 KB and closes, as a stale pooled connection
        String query = "{\"query\":{\"match_all\":{}},\"pad\":\"" + "x".repeat(4_000) + "\"}";
        try (DroppingServer dropping = new DroppingServer();
                RecordingServer healthy = new RecordingServer()) {
            healthy.on("/", ex -> RecordingServer.respond(ex, 200, "{\"ok\":true}".getBytes(), Map.of()));
            try (ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(List.of(dropping.uri(), healthy.uri()))
                    .shortTimeouts()
                    .elasticsearch("health_check_interval", "1h")
                    .start()) {
                for (int i = 0; i < 4; i++) {
                    HttpResponse<String> search = send(
                            proxy,
                            HttpRequest.newBuilder(uri(proxy, "/logs/_search"))
                                    .POST(HttpRequest.BodyPublishers.ofString(query))
                                    .header("content-type", "application/json"));
                    assertThat(search.statusCode()).isEqualTo(200);
                }
                assertThat(dropping.accepted.get()).isGreaterThan(0);
                var searches = healthy.requests().stream()
                        .filter(r -> r.uri().equals("/logs/_search"))
                        .toList();
                assertThat(searches).hasSize(4);
                assertThat(searches)
                        .allSatisfy(r -> assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
                                .isEqualTo(query));
            }
        }
    }

    @Test
    void streamedBodyOverTheReplayLimit_isNotRetried_andGets502() throws Exception {
        String query = "{\"pad\":\"" + "x".repeat(ForwardExchange.MAX_REPLAY_BYTES) + "\"}";
        try (DroppingServer dropping = new DroppingServer()) {
            try (ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(dropping.uri())
                    .shortTimeouts()
                    .elasticsearch("health_check_interval", "1h")
                    .start()) {
                HttpResponse<String> search = send(
                        proxy,
                        HttpRequest.newBuilder(uri(proxy, "/logs/_search"))
                                .POST(HttpRequest.BodyPublishers.ofString(query))
                                .header("content-type", "application/json"));
                assertThat(search.statusCode()).isEqualTo(502);
                assertThat(dropping.accepted.get()).isEqualTo(1);
            }
        }
    }

    @Test
    void nonIdempotentRequest_isNotRetried_andGets502() throws Exception {
        try (DroppingServer dropping = new DroppingServer()) {
            try (ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(dropping.uri())
                    .shortTimeouts()
                    .elasticsearch("health_check_interval", "1h")
                    .start()) {
                HttpResponse<String> bulk = send(
                        proxy,
                        HttpRequest.newBuilder(uri(proxy, "/_bulk"))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"index\":{\"_index\":\"a\"}}\n{}\n"))
                                .header("content-type", "application/x-ndjson"));
                assertThat(bulk.statusCode()).isEqualTo(502);
                assertThat(bulk.body()).contains("closed the connection before answering");
                assertThat(dropping.accepted.get()).isEqualTo(1);
            }
        }
    }

    @Test
    void downNode_isSkipped_whileAnotherNodeServes() throws Exception {
        try (RecordingServer healthy = new RecordingServer()) {
            healthy.on("/", ex -> RecordingServer.respond(ex, 200, "{}".getBytes(), Map.of()));
            URI dead = URI.create("http://127.0.0.1:" + freePort());
            try (ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(List.of(dead, healthy.uri()))
                    .shortTimeouts()
                    .start()) {
                for (int i = 0; i < 6; i++) {
                    assertThat(get(proxy, "/_cluster/health").statusCode()).isEqualTo(200);
                }
                HttpResponse<String> health = get(proxy, "/_sketchgate/health");
                assertThat(health.body()).contains("\"up\":false,\"last_error\":\"connection refused\"");
            }
        }
    }

    /** Accepts connections, reads the request, and closes without answering: a node dying mid-request. */
    static final class DroppingServer implements AutoCloseable {
        final AtomicInteger accepted = new AtomicInteger();
        private final ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final Thread thread = new Thread(this::run, "dropping-server");

        DroppingServer() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    s.setSoTimeout(200);
                    try {
                        byte[] buf = new byte[8192];
                        int n = s.getInputStream().read(buf);
                        if (n > 0
                                && !new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1)
                                        .startsWith("GET / ")) {
                            accepted.incrementAndGet(); // not counting the proxy's health checks
                        }
                    } catch (SocketTimeoutException ignored) {
                        // health-check or idle connection: close it all the same
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static List<Socket> fillAcceptQueue(int port) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                sockets.add(s);
            } catch (SocketTimeoutException e) {
                s.close();
                return sockets;
            }
        }
        throw new IllegalStateException("accept queue never filled");
    }

    private HttpResponse<String> get(ProxyUnderTest proxy, String path) throws Exception {
        return send(proxy, HttpRequest.newBuilder(uri(proxy, path)));
    }

    private HttpResponse<String> send(ProxyUnderTest proxy, HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ProxyUnderTest proxy, String path) {
        return proxy.baseUri().resolve(path);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
