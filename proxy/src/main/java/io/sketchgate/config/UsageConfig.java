package io.sketchgate.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Per-user usage accounting ({@code GET /_sketchgate/usage}): counters are kept per user and hour in memory and
 * written to {@code index} every {@code flush_interval}, so a restart loses at most one interval.
 *
 * @param flushInterval how often the counters are written to Elasticsearch
 * @param index         the hidden index that holds them, one document per user and hour
 * @param maxEntries    how many (user, hour) counters memory holds between flushes; beyond it requests of new
 *                      users are counted in metrics only ({@code sketchgate_usage_dropped_total})
 */
public record UsageConfig(Duration flushInterval, String index, int maxEntries) {
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(60);
    public static final String DEFAULT_INDEX = "sketchgate-usage";
    public static final int DEFAULT_MAX_ENTRIES = 100_000;
    public static final UsageConfig DEFAULT =
            new UsageConfig(DEFAULT_FLUSH_INTERVAL, DEFAULT_INDEX, DEFAULT_MAX_ENTRIES);
    // Elasticsearch's own rules for index names, narrowed to what a hidden system-like index needs.
    private static final Pattern INDEX_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,200}");

    public UsageConfig {
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(index, "index");
    }

    static UsageConfig read(ConfigSection section) {
        Duration interval =
                section.duration("flush_interval", DEFAULT_FLUSH_INTERVAL, Duration.ofSeconds(1), Duration.ofHours(1));
        String index = section.string("index", DEFAULT_INDEX);
        if (!INDEX_NAME.matcher(index).matches()) {
            section.problem(
                    "index",
                    "must be a lower-case Elasticsearch index name of letters, digits, _ . and -,"
                            + " like sketchgate-usage");
        }
        int maxEntries = section.integer("max_entries", DEFAULT_MAX_ENTRIES, 100, 10_000_000);
        return new UsageConfig(interval, index, maxEntries);
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("flush_interval", Durations.format(flushInterval));
        tree.put("index", index);
        tree.put("max_entries", maxEntries);
        return tree;
    }
}
