package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.config.ElasticsearchConfig;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.server.ProxyServer;
import io.sketchgate.testing.ProxyUnderTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's request head is reused as the upstream one (no header copy). What the upstream sees and what the
 * access log records must not change: a retry resends the head prepared once, the node's base path is not logged.
 */
class ForwardedHeadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRetriedRequest_carriesXForwardedForOnce_andTheLogShowsTheClientsPath(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("access.jsonl");
        try (UpstreamFailureTest.DroppingServer dropping = new UpstreamFailureTest.DroppingServer();
                RecordingServer healthy = new RecordingServer()) {
            healthy.on("/es", ex -> RecordingServer.respond(ex, 200, "{\"ok\":true}".getBytes(), Map.of()));
            URI base = URI.create(healthy.uri() + "/es");
            SketchgateConfig file = ProxyUnderTest.forElasticsearch(dropping.uri())
                    .shortTimeouts()
                    .elasticsearch("health_check_interval", "1h")
                    .accessLog(log)
                    .config();
            // a node with a base path, which a configuration file may not name, so it is set in code
            SketchgateConfig config = new SketchgateConfig(
                    file.source(),
                    file.listeners(),
                    new ElasticsearchConfig(
                            List.of(dropping.uri(), base),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            file.elasticsearch().healthCheckInterval()),
                    file.limits(),
                    file.accessLog());
            try (ProxyServer proxy = ProxyServer.start(config)) {
                HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < 4; i++) {
                    HttpResponse<String> search = http.send(
                            HttpRequest.newBuilder(ProxyUnderTest.uri(proxy.elasticsearchAddress())
                                            .resolve("/logs/_search?q=1"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                    .header("content-type", "application/json")
                                    .header("X-Forwarded-For", "10.1.1.1")
                                    .header("X-Sketchgate-User", "mallory")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(search.statusCode()).isEqualTo(200);
                }
                assertThat(dropping.accepted.get()).isGreaterThan(0); // some were retried after a dropped send
            }
            List<RecordingServer.Recorded> searches = healthy.requests().stream()
                    .filter(r -> r.method().equals("POST"))
                    .toList();
            assertThat(searches).hasSize(4);
            for (RecordingServer.Recorded seen : searches) {
                assertThat(seen.uri()).isEqualTo("/es/logs/_search?q=1");
                assertThat(seen.header("X-Forwarded-For")).isEqualTo("10.1.1.1, 127.0.0.1");
                assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
                assertThat(seen.header("X-Sketchgate-User")).isNull();
            }
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(4);
        for (String line : lines) {
            JsonNode entry = JSON.readTree(line);
            assertThat(entry.get("path").asText()).isEqualTo("/logs/_search?q=1");
            assertThat(entry.get("upstream").asText()).endsWith("/es");
        }
    }
}
