package io.sketchgate.admin;

import io.sketchgate.testing.ApiClient;
import io.sketchgate.testing.ProxyUnderTest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The proxy of the admin endpoint tests: policy on, static users {@code admin} (role {@code sketchgate_admin}),
 * {@code alice} and {@code bob} (role {@code analyst}), and a YAML tail for the rest (roles, usage, metrics).
 */
public final class AdminProxy {
    private AdminProxy() {}

    /** How long an instance took to see a change: the status it answered last and when. */
    record Seen(int status, Duration took) {}

    /**
     * The YAML of the run-time limit tests: role {@code analyst} may search 31 days of {@code <prefix>-*} (time
     * field {@code @timestamp}); run-time changes go to {@code configIndex}, their audit to {@code auditIndex}, and
     * each of {@code runtimeLimits} (e.g. {@code poll_interval: 200ms}) is one more key of {@code runtime_limits}.
     */
    public static String analystsWithRuntimeLimits(
            String prefix, String configIndex, String auditIndex, String... runtimeLimits) {
        StringBuilder yaml = new StringBuilder("""
                roles:
                  analyst: { indices: ["%s-*"], max_time_range: 31d }
                index_time_fields:
                  "%s-*": "@timestamp"
                runtime_limits:
                  index: %s
                  audit_index: %s
                """.formatted(prefix, prefix, configIndex, auditIndex));
        for (String key : runtimeLimits) {
            yaml.append("  ").append(key).append('\n');
        }
        return yaml.toString();
    }

    /** Asks {@code client} as {@code user} until the answer is no longer 200 or {@code atMost} has passed. */
    static Seen untilNot200(ApiClient client, String user, String path, String body, Duration atMost) throws Exception {
        long since = System.nanoTime();
        int status;
        do {
            status = client.answer(user, "POST", path, body).status();
        } while (status == 200 && System.nanoTime() - since < atMost.toNanos());
        return new Seen(status, Duration.ofNanos(System.nanoTime() - since));
    }

    static ProxyUnderTest start(Path dir, URI elasticsearch, String yamlTail) throws Exception {
        return ProxyUnderTest.forElasticsearch(elasticsearch)
                .yaml("access_log: { enabled: false }")
                .user("admin", "sketchgate_admin")
                .user("alice", "analyst")
                .user("bob", "analyst")
                .yaml(yamlTail)
                .start(dir);
    }
}
