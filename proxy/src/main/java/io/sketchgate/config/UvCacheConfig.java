package io.sketchgate.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the proxy keeps in memory to answer unique-count questions without Elasticsearch: the catalogue of stored
 * buckets (always whole, refreshed every {@code refresh_interval}) and decoded sketches, bounded by
 * {@code max_sketch_bytes}; the sketches of the newest {@code warm_days} days are read at start. The newest fine
 * granules' events' milliseconds (cuts off the minute counted in memory) are held up to {@code max_event_millis_bytes}
 * per definition.
 *
 * @param maxSketchBytes  the sketch cache's bound, in bytes the sketches hold on the heap
 * @param warmDays        days of sketches read at start (0: none)
 * @param refreshInterval how often another instance's writes are looked for
 * @param maxEventMillisBytes per definition, the heap for the newest fine granules' events' milliseconds (0: none)
 */
public record UvCacheConfig(long maxSketchBytes, int warmDays, Duration refreshInterval, long maxEventMillisBytes) {
    private static final long MB = 1024L * 1024;
    /**
     * Warm 92 days: Kibana's "last 90 days" charts, which a split chart reads down to its cut granules. 256 MB of
     * events' milliseconds: about 2 bytes an event for the root subset's fine granules and 2 more for the granules
     * of every dimension's combination, so the newest 60M or so events (the 30M benchmark: all of them).
     */
    public static final UvCacheConfig DEFAULT = new UvCacheConfig(256 * MB, 92, Duration.ofSeconds(2), 256 * MB);

    public UvCacheConfig {
        Objects.requireNonNull(refreshInterval, "refreshInterval");
    }

    static UvCacheConfig read(ConfigSection section) {
        return new UvCacheConfig(
                section.size("max_sketch_bytes", DEFAULT.maxSketchBytes, MB, 64L * 1024 * MB),
                section.integer("warm_days", DEFAULT.warmDays, 0, 366),
                section.duration(
                        "refresh_interval", DEFAULT.refreshInterval, Duration.ofMillis(100), Duration.ofMinutes(10)),
                section.size("max_event_millis_bytes", DEFAULT.maxEventMillisBytes, 0, 64L * 1024 * MB));
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("max_sketch_bytes", ByteSizes.format(maxSketchBytes));
        tree.put("warm_days", warmDays);
        tree.put("refresh_interval", Durations.format(refreshInterval));
        tree.put("max_event_millis_bytes", ByteSizes.format(maxEventMillisBytes));
        return tree;
    }
}
