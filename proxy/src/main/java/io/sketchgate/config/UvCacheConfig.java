package io.sketchgate.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the proxy keeps in memory to answer unique-count questions without Elasticsearch: the catalogue of stored
 * buckets (always whole, refreshed every {@code refresh_interval}) and decoded sketches, bounded by
 * {@code max_sketch_bytes}; the sketches of the newest {@code warm_days} days are read at start.
 *
 * @param maxSketchBytes  the sketch cache's bound, in bytes the sketches hold on the heap
 * @param warmDays        days of sketches read at start (0: none)
 * @param refreshInterval how often another instance's writes are looked for
 */
public record UvCacheConfig(long maxSketchBytes, int warmDays, Duration refreshInterval) {
    private static final long MB = 1024L * 1024;
    /** Warm 92 days: Kibana's "last 90 days" charts, which a split chart reads down to its cut granules. */
    public static final UvCacheConfig DEFAULT = new UvCacheConfig(256 * MB, 92, Duration.ofSeconds(2));

    public UvCacheConfig {
        Objects.requireNonNull(refreshInterval, "refreshInterval");
    }

    static UvCacheConfig read(ConfigSection section) {
        return new UvCacheConfig(
                section.size("max_sketch_bytes", DEFAULT.maxSketchBytes, MB, 64L * 1024 * MB),
                section.integer("warm_days", DEFAULT.warmDays, 0, 366),
                section.duration(
                        "refresh_interval", DEFAULT.refreshInterval, Duration.ofMillis(100), Duration.ofMinutes(10)));
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("max_sketch_bytes", ByteSizes.format(maxSketchBytes));
        tree.put("warm_days", warmDays);
        tree.put("refresh_interval", Durations.format(refreshInterval));
        return tree;
    }
}
