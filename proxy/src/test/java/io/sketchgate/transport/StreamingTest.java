package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RawHttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Bodies stream with backpressure; a client that leaves cancels its upstream request; shutdown is graceful. */
class StreamingTest {
    private static final long RESPONSE_BYTES = 512L * 1024 * 1024;

    @Test
    void slowReadingClient_holdsBackTheUpstream_insteadOfBeingBufferedByTheProxy() throws Exception {
        try (StreamingUpstream upstream = new StreamingUpstream(RESPONSE_BYTES);
                ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(upstream.uri())
                        .shortTimeouts()
                        .elasticsearch("health_check_interval", "1h")
                        .start();
                Socket client = new Socket()) {
            client.setReceiveBufferSize(64 * 1024);
            client.connect(proxy.server().elasticsearchAddress());
            client.getOutputStream()
                    .write("GET /big/_doc/1 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long read = in.read(buf);

            Thread.sleep(2_000); // the client stops reading
            long sentWhilePaused = upstream.written.get();
            assertThat(sentWhilePaused - read)
                    .as("bytes held between upstream and a paused client (kernel buffers plus proxy)")
                    .isLessThan(48L * 1024 * 1024);

            long total = read;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total >= RESPONSE_BYTES + 64) {
                    break;
                }
            }
            // the upstream counts a chunk once its write returns, which can be after the client has read it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (upstream.written.get() < RESPONSE_BYTES && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(upstream.written.get()).isEqualTo(RESPONSE_BYTES);
            assertThat(total).isGreaterThan(RESPONSE_BYTES); // body plus chunk framing and headers
        }
    }

    @Test
    void clientDisconnectMidRequest_closesTheUpstreamConnection() throws Exception {
        try (HangingUpstream upstream = new HangingUpstream();
                ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(upstream.uri())
                        .shortTimeouts()
                        .elasticsearch("health_check_interval", "1h")
                        .start()) {
            try (Socket client = new Socket()) {
                client.connect(proxy.server().elasticsearchAddress());
                client.getOutputStream()
                        .write(("POST /logs/_search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                        + "Content-Length: 2\r\n\r\n{}")
                                .getBytes(StandardCharsets.US_ASCII));
                assertThat(upstream.requestSeen.await(5, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(upstream.closedByProxy.await(5, TimeUnit.SECONDS))
                    .as("the upstream connection is closed so Elasticsearch cancels the search")
                    .isTrue();
        }
    }

    @Test
    void shutdown_letsAnInFlightRequestFinish_withinTheGracePeriod() throws Exception {
        try (RecordingServer upstream = new RecordingServer()) {
            upstream.on("/", ex -> {
                try {
                    Thread.sleep(800);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                RecordingServer.respond(ex, 200, "{\"done\":true}".getBytes(), java.util.Map.of());
            });
            ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(upstream.uri())
                    .shortTimeouts()
                    .limit("shutdown_grace", "5s")
                    .start();
            try (Socket client = new Socket()) {
                client.connect(proxy.server().elasticsearchAddress());
                client.getOutputStream()
                        .write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(200);
                Thread closer = new Thread(proxy::close);
                closer.start();
                RawHttpResponse response = RawHttpResponse.read(client.getInputStream());
                assertThat(response.statusLine()).startsWith("HTTP/1.1 200");
                assertThat(response.body()).endsWith("{\"done\":true}");
                closer.join(10_000);
                assertThat(closer.isAlive()).isFalse();
            }
            try (Socket refused = new Socket()) {
                refused.connect(proxy.server().elasticsearchAddress(), 1000);
                throw new AssertionError("the listener still accepts connections after close");
            } catch (IOException expected) {
                assertThat(expected).hasMessageContaining("refused");
            }
        }
    }

    /** Answers any request with a large chunked body, written as fast as the connection takes it. */
    static final class StreamingUpstream implements AutoCloseable {
        final AtomicLong written = new AtomicLong();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final long size;

        StreamingUpstream(long size) throws IOException {
            this.size = size;
            Thread t = new Thread(this::serve, "streaming-upstream");
            t.setDaemon(true);
            t.start();
        }

        private void serve() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> answer(s));
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void answer(Socket s) {
            try (s) {
                s.setSendBufferSize(64 * 1024);
                InputStream in = s.getInputStream();
                byte[] head = new byte[8192];
                int n = in.read(head);
                if (n <= 0 || new String(head, 0, n, StandardCharsets.ISO_8859_1).startsWith("GET / ")) {
                    return; // health check
                }
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nX-elastic-product: Elasticsearch\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'x');
                String size = Integer.toHexString(chunk.length) + "\r\n";
                for (long sent = 0; sent < this.size; sent += chunk.length) {
                    out.write(size.getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    written.addAndGet(chunk.length);
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException ignored) {
                // the client went away
            }
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** Reads a request and never answers; notices when the proxy closes the connection. */
    static final class HangingUpstream implements AutoCloseable {
        final CountDownLatch requestSeen = new CountDownLatch(1);
        final CountDownLatch closedByProxy = new CountDownLatch(1);
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicBoolean open = new AtomicBoolean(true);

        HangingUpstream() throws IOException {
            Thread t = new Thread(this::serve, "hanging-upstream");
            t.setDaemon(true);
            t.start();
        }

        private void serve() {
            while (open.get()) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> hold(s));
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void hold(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                byte[] buf = new byte[8192];
                int n = in.read(buf);
                if (n <= 0 || !new String(buf, 0, n, StandardCharsets.ISO_8859_1).startsWith("POST /logs/_search")) {
                    return;
                }
                requestSeen.countDown();
                while (in.read(buf) >= 0) {
                    // wait for EOF
                }
                closedByProxy.countDown();
            } catch (IOException e) {
                closedByProxy.countDown();
            }
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            open.set(false);
            server.close();
        }
    }
}
