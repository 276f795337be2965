package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.Durations;
import io.sketchgate.config.LimitsConfig;
import io.sketchgate.testing.IdleConnectionHolder;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RawHttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that attack the HTTP layer: request smuggling through ambiguous framing, slow headers, connection
 * floods. Each must be refused in Elasticsearch's error shape without anything reaching the upstream, and the
 * proxy must keep serving everyone else. The upstream records what arrives (it stands in for Elasticsearch's
 * HTTP framing only).
 */
class ProtocolAbuseTest {
    private final RecordingServer upstream = startUpstream();
    private ProxyUnderTest proxy;

    private static RecordingServer startUpstream() {
        try {
            RecordingServer server = new RecordingServer();
            server.on(
                    "/",
                    exchange -> RecordingServer.respond(
                            exchange,
                            200,
                            "{}".getBytes(StandardCharsets.UTF_8),
                            Map.of("X-elastic-product", "Elasticsearch")));
            return server;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private void startProxy(Duration headerTimeout, int maxConnections) throws Exception {
        proxy = ProxyUnderTest.forElasticsearch(upstream.uri())
                .shortTimeouts()
                .elasticsearch("health_check_interval", "1h")
                .limit("header_timeout", Durations.format(headerTimeout))
                .limit("max_connections", String.valueOf(maxConnections))
                .start();
    }

    /** Requests whose framing two HTTP parsers could read differently: each is refused and nothing is forwarded. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                // CL.TE: a front end reading Content-Length and a back end reading chunked would disagree
                "POST /logs/_doc HTTP/1.1|Host: x|Content-Length: 4|Transfer-Encoding: chunked||0||GET /smuggled HTTP/1.1|Host: x||",
                "POST /logs/_doc HTTP/1.1|Host: x|Content-Length: 4|Content-Length: 5||abcde",
                "POST /logs/_doc HTTP/1.1|Host: x|Transfer-Encoding: xchunked||0||",
                "POST /logs/_doc HTTP/1.1|Host: x|Transfer-Encoding: chunked, identity||0||",
                "POST /logs/_doc HTTP/1.1|Host: x|Transfer-Encoding: chunked|Transfer-Encoding: chunked||0||",
                "POST /logs/_doc HTTP/1.1|Host: x|Content-Length : 4||abcd",
                "POST /logs/_doc HTTP/1.1|Host: x|Content-Length: +4||abcd",
                "POST /logs/_search HTTP/1.1|Host: x|Content-Length: 4|Transfer-Encoding: chunked||0||GET /smuggled HTTP/1.1|Host: x||",
            })
    void ambiguousFramingIsRefusedAndNothingReachesTheUpstream(String request) throws Exception {
        startProxy(Duration.ofSeconds(30), 100);
        String response = exchange(request.replace("|", "\r\n"));
        assertThat(response)
                .startsWith("HTTP/1.1 400 Bad Request\r\n")
                .contains("connection: close")
                .contains("X-elastic-product: Elasticsearch")
                .contains("\"type\":\"illegal_argument_exception\"")
                .contains("Malformed HTTP request: ");
        assertThat(forwarded()).isEmpty();
    }

    @Test
    void headersTrickledSlowerThanTheHeaderTimeoutGet408AndTheConnectionIsClosed() throws Exception {
        startProxy(Duration.ofMillis(700), 100);
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            byte[] head = "GET /logs/_search HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            String response = null;
            try {
                for (byte b : head) { // one byte every 50 ms: never idle, never complete
                    out.write(b);
                    out.flush();
                    Thread.sleep(50);
                }
                for (int i = 0; i < 100; i++) {
                    out.write('a');
                    out.flush();
                    Thread.sleep(50);
                }
            } catch (IOException closedByProxy) {
                // expected: the proxy answered and closed while we were still trickling
            }
            response = readAll(socket);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(response)
                    .startsWith("HTTP/1.1 408 Request Timeout\r\n")
                    .contains("sketchgate_request_timeout_exception")
                    .contains("limits.header_timeout");
            assertThat(millis).isLessThan(5_000);
        }
        assertThat(forwarded()).isEmpty();
        assertThat(exchange("GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void aKeepAliveConnectionMayWaitLongerThanTheHeaderTimeoutBetweenRequests() throws Exception {
        startProxy(Duration.ofMillis(300), 100);
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /first HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(RawHttpResponse.read(socket.getInputStream()).status()).isEqualTo(200);
            Thread.sleep(800); // idle between requests is the idle timeout's business, not the header timeout's
            out.write(
                    "GET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readAll(socket)).startsWith("HTTP/1.1 200");
        }
        assertThat(forwarded()).extracting(RecordingServer.Recorded::uri).containsExactly("/first", "/second");
    }

    @Test
    void connectionsIdleLongerThanTheIdleTimeoutAreClosed_beforeAndBetweenRequests() throws Exception {
        proxy = ProxyUnderTest.forElasticsearch(upstream.uri())
                .shortTimeouts()
                .elasticsearch("health_check_interval", "1h")
                .limit("idle_timeout", "300ms")
                .start();
        try (Socket silent = connect();
                Socket keptAlive = connect()) {
            keptAlive
                    .getOutputStream()
                    .write("GET /once HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(RawHttpResponse.read(keptAlive.getInputStream()).status())
                    .isEqualTo(200);
            long started = System.nanoTime();
            assertThat(silent.getInputStream().read())
                    .as("a connection that never sent a byte")
                    .isEqualTo(-1);
            assertThat(keptAlive.getInputStream().read())
                    .as("a keep-alive connection after its response")
                    .isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        }
        assertThat(forwarded()).extracting(RecordingServer.Recorded::uri).containsExactly("/once");
    }

    @Test
    void connectionsBeyondTheLimitGet429WithRetryAfterInElasticsearchsShape_andFreedSlotsAreReused() throws Exception {
        startProxy(Duration.ofSeconds(30), 20);
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                idle.add(connect());
            }
            Thread.sleep(200); // let the proxy accept them all
            String refused = exchange("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(refused)
                    .startsWith("HTTP/1.1 429 Too Many Requests\r\n")
                    .contains("Retry-After: 1\r\n")
                    .endsWith(
                            "\r\n\r\n{\"error\":{\"root_cause\":[{\"type\":\"sketchgate_too_many_connections_exception\","
                                    + "\"reason\":\"Sketchgate's elasticsearch listener already has 20 open connections"
                                    + " (limits.max_connections). Retry later, reuse connections, or raise the limit.\"}],"
                                    + "\"type\":\"sketchgate_too_many_connections_exception\",\"reason\":\"Sketchgate's"
                                    + " elasticsearch listener already has 20 open connections (limits.max_connections). Retry"
                                    + " later, reuse connections, or raise the limit.\"},\"status\":429}");
            for (int i = 0; i < 5; i++) {
                idle.remove(0).close();
            }
            Thread.sleep(300); // the proxy notices the closes
            assertThat(exchange("GET /again HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
        assertThat(forwarded()).extracting(RecordingServer.Recorded::uri).containsExactly("/again");
    }

    /**
     * The default limit, for real: ten thousand idle connections (held by another process, so the client ends do
     * not count against this JVM's descriptors) are all accepted without a thread or a buffer each, the next one is
     * refused, and once they go the proxy serves as before.
     */
    @Test
    void tenThousandIdleConnectionsAreHeldWithBoundedMemoryAndThreads_andTheNextIsRefused() throws Exception {
        int limit = LimitsConfig.DEFAULT_MAX_CONNECTIONS;
        startProxy(LimitsConfig.DEFAULT_HEADER_TIMEOUT, limit);
        assertThat(exchange("GET /before HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long heapBefore = heapAfterGc(memory);
        int threadsBefore = threads.getThreadCount();
        try (IdleConnectionHolder idle =
                IdleConnectionHolder.open(proxy.server().elasticsearchAddress(), limit)) {
            // the holder's connects complete in the kernel's accept queue; the proxy counts each as it accepts it,
            // so until it has caught up an extra request is still served
            String extra = exchangeUntil(
                    "GET /extra HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    "HTTP/1.1 429",
                    Duration.ofSeconds(60));
            assertThat(extra).startsWith("HTTP/1.1 429 Too Many Requests\r\n").contains("limits.max_connections");
            long heldBytes = heapAfterGc(memory) - heapBefore;
            System.out.printf(
                    "ProtocolAbuseTest: %d idle connections held with %d heap bytes each, %d threads added%n",
                    limit, heldBytes / limit, threads.getThreadCount() - threadsBefore);
            assertThat(heldBytes / limit).as("heap bytes per idle connection").isLessThan(8 * 1024);
            assertThat(threads.getThreadCount() - threadsBefore)
                    .as("threads added for %d connections", limit)
                    .isLessThan(10);
        }
        String after = exchangeUntil(
                "GET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", // the proxy notices the closes
                "HTTP/1.1 200",
                Duration.ofSeconds(30));
        assertThat(after).startsWith("HTTP/1.1 200");
    }

    /** Repeats the exchange until its answer starts with {@code prefix} or time is up; returns the last answer. */
    private String exchangeUntil(String raw, String prefix, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        String answer;
        do {
            answer = exchange(raw);
        } while (!answer.startsWith(prefix) && System.nanoTime() < deadline);
        return answer;
    }

    private static long heapAfterGc(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** What clients got through to the upstream (the proxy's own health checks left out). */
    private List<RecordingServer.Recorded> forwarded() {
        return upstream.requests().stream()
                .filter(r -> !"sketchgate-health-check".equals(r.header("User-Agent")))
                .toList();
    }

    private Socket connect() throws IOException {
        Socket socket =
                new Socket("127.0.0.1", proxy.server().elasticsearchAddress().getPort());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private String exchange(String raw) throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readAll(socket);
        }
    }

    /** Everything until the proxy closes the connection. */
    private static String readAll(Socket socket) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // a reset after the response still leaves the response in the buffer
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
