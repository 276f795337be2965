package io.sketchgate.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code realtime:} section of one {@code unique_counts} entry: how the proxy keeps the definition's open
 * granules in memory ({@code io.sketchgate.uniques.RealtimeTailer}) and precomputes granules once they close
 * ({@code io.sketchgate.uniques.PrecomputeScheduler}). None of it changes stored numbers, so none of it is part of
 * the definition's version.
 *
 * @param enabled          run the tailer
 * @param pollInterval     time between two polls of the source
 * @param overlap          how far before the newest event seen each poll reads again, to catch events that arrive
 *                         late; at most the lateness
 * @param persistInterval  time between two saves of the tailer's state to Elasticsearch
 * @param maxOpenGranules  granules held in memory at most; the oldest is evicted first
 * @param maxSketches      sketches (granule × combination of dimension values) held in memory at most
 * @param schedule         run the precompute of newly closed granules in this proxy (under the job lease)
 * @param scheduleInterval time between two checks for newly closed granules
 */
public record RealtimeSettings(
        boolean enabled,
        Duration pollInterval,
        Duration overlap,
        Duration persistInterval,
        int maxOpenGranules,
        int maxSketches,
        boolean schedule,
        Duration scheduleInterval) {

    static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    static final int DEFAULT_MAX_SKETCHES = 10_000;
    static final int MAX_OPEN_GRANULES = 100_000;

    public RealtimeSettings {
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(overlap, "overlap");
        Objects.requireNonNull(persistInterval, "persistInterval");
        Objects.requireNonNull(scheduleInterval, "scheduleInterval");
        if (maxOpenGranules < 2 || maxSketches < 1) {
            throw new IllegalArgumentException("maxOpenGranules must be at least 2 and maxSketches at least 1");
        }
    }

    /** The defaults for a definition with this granularity and lateness. */
    public static RealtimeSettings defaults(Duration granularity, Duration lateness) {
        return new RealtimeSettings(
                true,
                Duration.ofSeconds(5),
                lateness,
                Duration.ofSeconds(30),
                minOpenGranules(granularity, lateness) + 1,
                DEFAULT_MAX_SKETCHES,
                true,
                Duration.ofMinutes(1));
    }

    /**
     * Granules that can be open at once: those ending within the lateness, the current one, and the newest
     * closed one until the scheduler has precomputed it.
     */
    public static int minOpenGranules(Duration granularity, Duration lateness) {
        long g = granularity.toMillis();
        return (int) Math.min(MAX_OPEN_GRANULES, (lateness.toMillis() + g - 1) / g + 2);
    }

    static RealtimeSettings read(ConfigSection section, Duration granularity, Duration lateness) {
        RealtimeSettings defaults = defaults(granularity, lateness);
        boolean enabled = section.bool("enabled", defaults.enabled);
        Duration poll = section.duration("poll_interval", defaults.pollInterval, MIN_INTERVAL, Duration.ofMinutes(10));
        Duration overlap = section.duration("overlap", defaults.overlap, Duration.ZERO, lateness);
        Duration persist =
                section.duration("persist_interval", defaults.persistInterval, MIN_INTERVAL, Duration.ofHours(1));
        if (persist.compareTo(poll) < 0) {
            section.problem(
                    "persist_interval",
                    "must be at least poll_interval (" + Durations.format(poll) + "): the state is saved after a poll");
        }
        int min = minOpenGranules(granularity, lateness);
        int maxOpen = section.integer("max_open_granules", defaults.maxOpenGranules, 2, MAX_OPEN_GRANULES);
        if (maxOpen < min) {
            section.problem(
                    "max_open_granules",
                    "must be at least " + min + ": the " + Durations.format(granularity)
                            + " granules within the lateness (" + Durations.format(lateness)
                            + "), the current one and the"
                            + " newest closed one; raise it or lower the lateness");
        }
        int maxSketches = section.integer("max_sketches", defaults.maxSketches, 1, 10_000_000);
        boolean schedule = section.bool("schedule", defaults.schedule);
        Duration scheduleInterval =
                section.duration("schedule_interval", defaults.scheduleInterval, MIN_INTERVAL, Duration.ofDays(1));
        return new RealtimeSettings(
                enabled, poll, overlap, persist, Math.max(maxOpen, min), maxSketches, schedule, scheduleInterval);
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("enabled", enabled);
        tree.put("poll_interval", Durations.format(pollInterval));
        tree.put("overlap", Durations.format(overlap));
        tree.put("persist_interval", Durations.format(persistInterval));
        tree.put("max_open_granules", maxOpenGranules);
        tree.put("max_sketches", maxSketches);
        tree.put("schedule", schedule);
        tree.put("schedule_interval", Durations.format(scheduleInterval));
        return tree;
    }
}
