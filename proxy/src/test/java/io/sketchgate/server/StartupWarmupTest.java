package io.sketchgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.ConfigLoader;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.transport.RecordingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up warm-up replays requests through the real pipeline, governed ones allowed, against a throwaway
 * upstream: the configured cluster sees none of them, and neither the access log nor the metrics count them.
 */
class StartupWarmupTest {
    @TempDir
    Path dir;

    @Test
    void warmupOn_replaysGovernedRequests_withoutTouchingTheClusterOrTheAccessLog() throws Exception {
        try (RecordingServer cluster = new RecordingServer()) {
            cluster.on("/", ex -> RecordingServer.respond(ex, 200, "{}".getBytes(), Map.of()));
            Path accessLog = dir.resolve("access.jsonl");
            SketchgateConfig config = load("""
                    listeners:
                      elasticsearch: { host: 127.0.0.1, port: 0 }
                      warmup: on
                    elasticsearch:
                      hosts: ["%s"]
                      health_check_interval: 1h
                    identity: { sources: [static] }
                    users:
                      alice: { password_hash: "$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", roles: [analyst] }
                    roles:
                      analyst: { indices: ["logs-*"], max_time_range: 31d, on_exceed: reject }
                    index_time_fields:
                      "logs-*": "@timestamp"
                    access_log: { enabled: true, path: %s }
                    """.formatted(cluster.uri(), accessLog));

            try (ProxyServer proxy = ProxyServer.start(config)) {
                assertThat(proxy.warmupRequests()).isGreaterThan(100);
                assertThat(proxy.warmupAllowed())
                        .as("every warm-up request, the governed searches too, is allowed")
                        .isEqualTo(proxy.warmupRequests());
                assertThat(proxy.metrics()
                                .registry()
                                .find("sketchgate.requests")
                                .counters())
                        .allSatisfy(c -> assertThat(c.count()).isZero());
            }
            assertThat(cluster.requests())
                    .noneSatisfy(r -> assertThat(r.header("X-Opaque-Id")).isEqualTo("sketchgate-warmup"));
            assertThat(cluster.requests()).noneSatisfy(r -> assertThat(r.uri()).contains("logs-warmup"));
            assertThat(Files.exists(accessLog) ? Files.readString(accessLog) : "")
                    .isEmpty();
        }
    }

    @Test
    void warmupOff_sendsNothing() throws Exception {
        SketchgateConfig config = load("""
                listeners:
                  elasticsearch: { host: 127.0.0.1, port: 0 }
                  warmup: off
                elasticsearch:
                  hosts: ["http://127.0.0.1:9"]
                  health_check_interval: 1h
                """);
        try (ProxyServer proxy = ProxyServer.start(config)) {
            assertThat(proxy.warmupRequests()).isZero();
        }
    }

    @Test
    void warmupOn_withoutPolicy_streamsThePassthroughMix() throws Exception {
        SketchgateConfig config = load("""
                listeners:
                  elasticsearch: { host: 127.0.0.1, port: 0 }
                elasticsearch:
                  hosts: ["http://127.0.0.1:9"]
                  health_check_interval: 1h
                """);
        try (ProxyServer proxy = ProxyServer.start(config)) {
            assertThat(proxy.warmupRequests()).isGreaterThan(100);
            assertThat(proxy.warmupAllowed()).isEqualTo(proxy.warmupRequests());
        }
    }

    private SketchgateConfig load(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("sketchgate.yml"), yaml);
        return new ConfigLoader(Map.of()).load(file);
    }
}
