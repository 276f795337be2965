package io.sketchgate.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Protocol-level limits of the proxy.
 *
 * @param maxBodyBytes     largest request body Sketchgate inspects, also after gzip/deflate inflation
 * @param connectTimeout   to an upstream node
 * @param responseTimeout  from the end of the request to the first response byte
 * @param shutdownGrace    how long in-flight requests may take to finish on shutdown
 * @param maxHeaderBytes   total size of a request's headers
 * @param maxInitialLineBytes length of the request line
 * @param idleTimeout      a client connection with no traffic for this long is closed
 * @param headerTimeout    from the first byte of a request to the end of its headers (slow-header attacks)
 * @param maxConnections   open client connections per listener; more are answered 503 and closed
 */
public record LimitsConfig(
        long maxBodyBytes,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration shutdownGrace,
        int maxHeaderBytes,
        int maxInitialLineBytes,
        Duration idleTimeout,
        Duration headerTimeout,
        int maxConnections) {
    private static final long KB = 1024;
    private static final long MB = 1024 * KB;
    private static final long GB = 1024 * MB;
    private static final Duration MILLISECOND = Duration.ofMillis(1);
    private static final Duration DAY = Duration.ofDays(1);

    public LimitsConfig {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
        if (maxBodyBytes <= 0 || maxHeaderBytes <= 0 || maxInitialLineBytes <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
    }

    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    static LimitsConfig read(ConfigSection section) {
        return new LimitsConfig(
                section.size("max_body", 10 * MB, 1, GB),
                section.duration("connect_timeout", Duration.ofSeconds(5), MILLISECOND, DAY),
                section.duration("response_timeout", Duration.ofSeconds(120), MILLISECOND, DAY),
                section.duration("shutdown_grace", Duration.ofSeconds(30), Duration.ZERO, DAY),
                (int) section.size("max_header_size", 16 * KB, KB, MB),
                (int) section.size("max_initial_line", 8 * KB, KB, MB),
                section.duration("idle_timeout", Duration.ofMinutes(5), MILLISECOND, DAY),
                section.duration("header_timeout", DEFAULT_HEADER_TIMEOUT, MILLISECOND, Duration.ofHours(1)),
                section.integer("max_connections", DEFAULT_MAX_CONNECTIONS, 1, 1_000_000));
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("max_body", ByteSizes.format(maxBodyBytes));
        tree.put("connect_timeout", Durations.format(connectTimeout));
        tree.put("response_timeout", Durations.format(responseTimeout));
        tree.put("shutdown_grace", Durations.format(shutdownGrace));
        tree.put("max_header_size", ByteSizes.format(maxHeaderBytes));
        tree.put("max_initial_line", ByteSizes.format(maxInitialLineBytes));
        tree.put("idle_timeout", Durations.format(idleTimeout));
        tree.put("header_timeout", Durations.format(headerTimeout));
        tree.put("max_connections", maxConnections);
        return tree;
    }
}
