package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RawHttpResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query body is collected only when a policy reads it: with the policy off it streams through like any other
 * body, so {@code limits.max_body}, which bounds what is collected, does not apply to it.
 */
class UnreadBodyTest {
    private static final int MAX_BODY = 1024;
    private static final String BIG_QUERY =
            "{\"query\":{\"match_all\":{}},\"pad\":\"" + "x".repeat(8 * MAX_BODY) + "\"}";

    @TempDir
    Path dir;

    @Test
    void queryBodyOverMaxBody_streamsThroughUnread_whenThePolicyIsOff() throws Exception {
        try (RecordingServer upstream = answering();
                ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(upstream.uri())
                        .shortTimeouts()
                        .limit("max_body", MAX_BODY + "b")
                        .elasticsearch("health_check_interval", "1h")
                        .start(dir)) {
            RawHttpResponse response = exchange(proxy.port(), Map.of(), BIG_QUERY);

            assertThat(response.status()).isEqualTo(200);
            assertThat(searches(upstream))
                    .singleElement()
                    .satisfies(r -> assertThat(new String(r.body(), StandardCharsets.UTF_8))
                            .isEqualTo(BIG_QUERY));
        }
    }

    @Test
    void expectContinue_overMaxBody_isContinued_whenThePolicyIsOff() throws Exception {
        try (RecordingServer upstream = answering();
                ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(upstream.uri())
                        .shortTimeouts()
                        .limit("max_body", MAX_BODY + "b")
                        .elasticsearch("health_check_interval", "1h")
                        .start(dir);
                Socket client = new Socket("127.0.0.1", proxy.port())) {
            byte[] body = BIG_QUERY.getBytes(StandardCharsets.UTF_8);
            OutputStream out = client.getOutputStream();
            out.write(("POST /logs/_search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Expect: 100-continue\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            RawHttpResponse interim = RawHttpResponse.read(in);
            assertThat(interim.status()).isEqualTo(100);
            out.write(body);

            assertThat(RawHttpResponse.read(in).status()).isEqualTo(200);
            assertThat(searches(upstream))
                    .singleElement()
                    .satisfies(r -> assertThat(r.body()).isEqualTo(body));
        }
    }

    @Test
    void queryBodyOverMaxBody_isRefusedWith413_whenThePolicyReadsIt() throws Exception {
        try (RecordingServer upstream = answering();
                ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(upstream.uri())
                        .user("alice", "analyst")
                        .yaml("roles: { analyst: { indices: [\"logs-*\"] } }\nlimits: { max_body: 1kb }\n")
                        .start(dir)) {
            RawHttpResponse response = exchange(proxy.port(), Map.of(), BIG_QUERY);

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body()).contains("sketchgate_request_too_large_exception");
            assertThat(searches(upstream)).isEmpty();
        }
    }

    /** The searches the upstream saw, without health checks and Sketchgate's own requests. */
    private static java.util.List<RecordingServer.Recorded> searches(RecordingServer upstream) {
        return upstream.requests().stream()
                .filter(r -> r.uri().equals("/logs/_search"))
                .toList();
    }

    private static RecordingServer answering() throws Exception {
        RecordingServer upstream = new RecordingServer();
        upstream.on("/", ex -> RecordingServer.respond(ex, 200, "{\"hits\":{}}".getBytes(), Map.of()));
        return upstream;
    }

    private static RawHttpResponse exchange(int port, Map<String, String> headers, String body) throws Exception {
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.getOutputStream()
                    .write(RawHttpResponse.request("POST", "/logs/_search", headers, body)
                            .getBytes(StandardCharsets.UTF_8));
            return RawHttpResponse.read(client.getInputStream());
        }
    }
}
