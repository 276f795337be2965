package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.testing.ProxyUnderTest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyRequest_writesOneJsonLine_withUpstreamTimingAndBytes(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("logs/access.jsonl");
        try (RecordingServer es = new RecordingServer()) {
            es.on("/", ex -> RecordingServer.respond(ex, 201, "{\"result\":\"created\"}".getBytes(), Map.of()));
            try (ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(es.uri())
                    .shortTimeouts()
                    .accessLog(log)
                    .start()) {
                HttpClient http = HttpClient.newHttpClient();
                http.send(
                        HttpRequest.newBuilder(proxy.baseUri().resolve("/logs/_doc?refresh=true"))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                http.send(
                        HttpRequest.newBuilder(proxy.baseUri().resolve("/_sketchgate/nothing"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            }
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(2);
        JsonNode forwarded = JSON.readTree(lines.get(0));
        assertThat(forwarded.fieldNames())
                .toIterable()
                .containsExactly(
                        "time",
                        "listener",
                        "client",
                        "user",
                        "method",
                        "path",
                        "status",
                        "bytes_in",
                        "bytes_out",
                        "upstream",
                        "upstream_ms",
                        "total_ms",
                        "decision");
        assertThat(forwarded.get("listener").asText()).isEqualTo("elasticsearch");
        assertThat(forwarded.get("client").asText()).isEqualTo("127.0.0.1");
        assertThat(forwarded.get("method").asText()).isEqualTo("POST");
        assertThat(forwarded.get("path").asText()).isEqualTo("/logs/_doc?refresh=true");
        assertThat(forwarded.get("status").asInt()).isEqualTo(201);
        assertThat(forwarded.get("bytes_in").asLong()).isEqualTo(7);
        assertThat(forwarded.get("bytes_out").asLong()).isEqualTo(20);
        assertThat(forwarded.get("upstream").asText()).startsWith("http://127.0.0.1:");
        assertThat(forwarded.get("upstream_ms").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(forwarded.get("user").isNull()).isTrue();
        assertThat(forwarded.get("decision").asText()).isEqualTo("passthrough");
        assertThat(Duration.parse("PT" + forwarded.get("total_ms").asLong() / 1000 + "S"))
                .isLessThan(Duration.ofSeconds(10));

        JsonNode local = JSON.readTree(lines.get(1));
        assertThat(local.get("status").asInt()).isEqualTo(404);
        assertThat(local.get("upstream").isNull()).isTrue();
        assertThat(local.get("upstream_ms").isNull()).isTrue();
        assertThat(local.get("decision").isNull()).isTrue();
    }

    @Test
    void secretsInTheQueryString_neverReachTheLog() throws Exception {
        AccessLog log = AccessLog.open(java.util.Optional.empty());
        String line = log.toJson(new AccessLogEntry(
                java.time.Instant.EPOCH,
                "kibana",
                "10.0.0.9",
                "-",
                "GET",
                "/api/security/oidc/callback?code=s3cr3t&state=x",
                302,
                0,
                0,
                null,
                0,
                3,
                "-"));
        assertThat(line).doesNotContain("s3cr3t").contains("code=[redacted]&state=x");
    }

    @Test
    void linesFromManyThreads_allReachTheFile_withTimeAsInstantPrintsIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.jsonl");
        java.time.Instant[] times = {
            java.time.Instant.parse("2026-11-25T08:25:16Z"),
            java.time.Instant.parse("2026-11-25T08:25:16.660Z"),
            java.time.Instant.parse("2026-11-25T08:25:16.000123Z"),
            java.time.Instant.parse("2026-11-25T08:25:17.000000007Z")
        };
        try (AccessLog log = AccessLog.open(java.util.Optional.of(file))) {
            assertThat(log.enabled()).isTrue();
            List<Thread> threads = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 1_000; i++) {
                        log.record(new AccessLogEntry(
                                times[i % times.length],
                                "elasticsearch",
                                "10.0.0." + thread,
                                "-",
                                "GET",
                                "/t" + thread + "/" + i,
                                200,
                                0,
                                2,
                                "http://es:9200",
                                1,
                                2,
                                "passthrough"));
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4_000);
        for (String line : lines) {
            JsonNode entry = JSON.readTree(line);
            String path = entry.get("path").asText();
            int i = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
            assertThat(entry.get("time").asText()).isEqualTo(times[i % times.length].toString());
        }
    }

    @Test
    void aLogThatIsOff_isNotEnabled_soNoEntryIsBuilt() throws Exception {
        try (AccessLog log = AccessLog.open(java.util.Optional.empty())) {
            assertThat(log.enabled()).isFalse();
        }
    }
}
