package io.sketchgate.cli;

import io.sketchgate.config.ConfigException;
import io.sketchgate.config.ConfigLoader;
import io.sketchgate.config.SketchgateConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The demo's configuration, written as the YAML a user would write for the same set-up and read by the same
 * {@link ConfigLoader}, so it is validated like any file and {@code check-config} would print it back.
 *
 * <p>Three users of the {@code static} source ({@link DemoUsers}); the role {@code analyst} governs the sample's
 * indices with a 7-day {@code max_time_range} and a request quota; the unique count {@code weblogs_uv} has
 * {@code kibana_rewrite: on}. Requests without credentials get 401: the demo shows identity at work.
 */
final class DemoConfig {
    /** The demo is configured in code, not read from a file; this names it in messages. */
    static final Path SOURCE = Path.of("(sketchgate demo)");

    static final String DEFINITION = "weblogs_uv";
    static final String MAX_TIME_RANGE = "7d";
    static final int REQUESTS_PER_MINUTE = 60;

    private DemoConfig() {}

    /** The configuration's text; {@code indexPattern} is the sample's ({@code weblogs-*}). */
    static String yaml(
            List<URI> elasticsearch,
            int port,
            Optional<URI> kibanaUpstream,
            int kibanaPort,
            String indexPattern,
            DemoUsers users) {
        String hosts = elasticsearch.stream().map(uri -> "\"" + uri + "\"").collect(Collectors.joining(", "));
        String kibana = kibanaUpstream
                .map(upstream ->
                        "  kibana: { host: 127.0.0.1, port: " + kibanaPort + ", upstream: \"" + upstream + "\" }\n")
                .orElse("");
        StringBuilder userEntries = new StringBuilder();
        for (DemoUsers.User user : users.all()) {
            userEntries
                    .append("  ")
                    .append(user.name())
                    .append(": { password_hash: \"")
                    .append(user.passwordHash())
                    .append("\", roles: [")
                    .append(user.role())
                    .append("] }\n");
        }
        return """
                listeners:
                  elasticsearch: { host: 127.0.0.1, port: %d }
                %selasticsearch:
                  hosts: [%s]
                limits:
                  shutdown_grace: 10s
                access_log:
                  path: logs/access.jsonl
                identity:
                  sources: [static]
                users:
                %sroles:
                  %s: {}
                  %s:
                    indices: ["%s"]
                    max_time_range: %s
                    requests_per_minute: %d
                index_time_fields:
                  "%s": "@timestamp"
                unique_counts:
                  - name: %s
                    source: "%s"
                    time_field: "@timestamp"
                    unique_field: user_id
                    dimensions: [country, device]
                    granularity: 1h
                    time_zones: [UTC, Asia/Seoul]
                    precision: 14
                    lateness: 15m
                    max_exact_values: 5000000
                    kibana_rewrite: "on"
                """.formatted(
                        port,
                        kibana,
                        hosts,
                        userEntries,
                        DemoUsers.ADMIN_ROLE,
                        DemoUsers.ANALYST_ROLE,
                        indexPattern,
                        MAX_TIME_RANGE,
                        REQUESTS_PER_MINUTE,
                        indexPattern,
                        DEFINITION,
                        indexPattern);
    }

    /** The validated configuration; a problem here is a bug of the demo, not the user's to fix. */
    static SketchgateConfig load(String yaml) {
        try {
            return new ConfigLoader(Map.of()).load(SOURCE, yaml);
        } catch (ConfigException e) {
            throw new IllegalStateException("The demo's own configuration is invalid: " + e.problems(), e);
        }
    }
}
