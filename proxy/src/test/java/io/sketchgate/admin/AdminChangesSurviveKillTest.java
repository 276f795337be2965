package io.sketchgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.testing.ApiClient;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.SketchgateProcess;
import io.sketchgate.testing.TestElasticsearch;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxy process killed with SIGKILL right after acknowledging run-time changes: a restarted proxy has every
 * acknowledged change and its audit entry (they are written to Elasticsearch before the answer, never only held
 * in the proxy).
 */
@RealElasticsearch
class AdminChangesSurviveKillTest {
    private static final Pattern LISTENING =
            Pattern.compile("Elasticsearch-facing listener on \\S*?:(\\d+) forwarding");

    @Test
    void changesAcknowledgedBeforeASigkill_andTheirAuditEntries_areThereAfterARestart(
            TestElasticsearch es, @TempDir Path dir) throws Exception {
        Path config = ProxyUnderTest.forElasticsearch(es.baseUri())
                .user("root", "sketchgate_admin")
                .yaml("""
                        roles:
                          analyst: { indices: ["kill-logs-*"], max_time_range: 31d }
                        runtime_limits:
                          index: %s
                          audit_index: %s
                          poll_interval: 200ms
                        """.formatted(IndexNames.unique("sg-config-kill"), IndexNames.unique("sg-audit-kill")))
                .write(dir);
        Path log = dir.resolve("child.log");
        Process child = SketchgateProcess.start(List.of("-Xmx128m"), log, "run", "--config", config.toString());
        List<String> acknowledged = new ArrayList<>();
        try {
            ApiClient killed = new ApiClient(URI.create("http://127.0.0.1:" + awaitPort(child, log)));
            for (int i = 1; i <= 5; i++) {
                ApiClient.Answer answer = killed.answer(
                        "root",
                        "PUT",
                        "/_sketchgate/quotas/roles/killed_" + i,
                        "{\"indices\":[\"kill-logs-*\"],\"requests_per_minute\":" + (10 + i) + "}");
                assertThat(answer.status()).as(answer.json().toString()).isEqualTo(201);
                acknowledged.add("killed_" + i);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL right after the last answer: no shutdown hook, nothing flushed
            child.waitFor(10, TimeUnit.SECONDS);
        }

        try (ProxyUnderTest restarted = ProxyUnderTest.start(config)) {
            ApiClient proxy = restarted.client();
            for (int i = 1; i <= 5; i++) {
                ApiClient.Answer role = proxy.answer("root", "GET", "/_sketchgate/quotas/roles/killed_" + i, null);
                assertThat(role.status()).as(role.json().toString()).isEqualTo(200);
                assertThat(role.json().at("/settings/requests_per_minute").asInt())
                        .isEqualTo(10 + i);
                assertThat(role.json().get("source").asText()).isEqualTo("runtime");
            }
            JsonNode audit = proxy.answer("root", "GET", "/_sketchgate/audit?user=root&size=100", null)
                    .json();
            List<String> audited = new ArrayList<>();
            audit.get("entries").forEach(entry -> audited.add(entry.get("name").asText()));
            assertThat(audited).containsExactlyInAnyOrderElementsOf(acknowledged);
        }
    }

    private static int awaitPort(Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                Matcher matcher = LISTENING.matcher(Files.readString(log));
                if (matcher.find()) {
                    return Integer.parseInt(matcher.group(1));
                }
            }
            if (!child.isAlive()) {
                throw new IllegalStateException("the proxy exited: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the proxy did not listen within 60 s: " + Files.readString(log));
    }
}
