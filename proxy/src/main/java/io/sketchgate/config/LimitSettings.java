package io.sketchgate.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The limit keys shared by a role ({@code roles.NAME}) and a user's {@code overrides}. Every key is optional;
 * not set means "no such limit" for a role, and "keep the role's value" for an override. The meaning of each
 * key is documented in {@code docs/limits.md}; how the limits of several roles combine is
 * {@code io.sketchgate.policy.LimitResolver}'s job.
 *
 * @param maxTimeRange      longest time span a request may cover on an index's time field
 * @param onExceed          what to do with a longer span; only meaningful with {@code maxTimeRange}
 * @param requireTimeFilter whether a request must bound the time field at all
 * @param requestsPerMinute token bucket rate and burst per user
 * @param maxConcurrent     requests of one user running at once
 * @param maxQueue          requests of one user waiting for a slot; 0 means none wait
 * @param maxQueueTime      longest wait for a slot
 * @param maxExecutionTime  longest time a request may run in Elasticsearch
 * @param dailyEsTimeBudget sum of Elasticsearch {@code took} per user per UTC day
 */
public record LimitSettings(
        Optional<Duration> maxTimeRange,
        Optional<OnExceed> onExceed,
        Optional<Boolean> requireTimeFilter,
        Optional<Integer> requestsPerMinute,
        Optional<Integer> maxConcurrent,
        Optional<Integer> maxQueue,
        Optional<Duration> maxQueueTime,
        Optional<Duration> maxExecutionTime,
        Optional<Duration> dailyEsTimeBudget) {

    /** No limits at all; also "no overrides". */
    public static final LimitSettings NONE = new LimitSettings(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    static final Duration MILLISECOND = Duration.ofMillis(1);
    static final Duration SECOND = Duration.ofSeconds(1);

    public LimitSettings {
        Objects.requireNonNull(maxTimeRange, "maxTimeRange");
        Objects.requireNonNull(onExceed, "onExceed");
        Objects.requireNonNull(requireTimeFilter, "requireTimeFilter");
        Objects.requireNonNull(requestsPerMinute, "requestsPerMinute");
        Objects.requireNonNull(maxConcurrent, "maxConcurrent");
        Objects.requireNonNull(maxQueue, "maxQueue");
        Objects.requireNonNull(maxQueueTime, "maxQueueTime");
        Objects.requireNonNull(maxExecutionTime, "maxExecutionTime");
        Objects.requireNonNull(dailyEsTimeBudget, "dailyEsTimeBudget");
    }

    /**
     * Reads the limit keys of {@code section}; the caller asks for its own other keys ({@code indices}).
     *
     * @param allOptional true for a user's {@code overrides}, which complete a role's settings: the rules across
     *                    keys ({@code max_queue} needs {@code max_concurrent}) are then not checked here, because
     *                    the other key may come from the role
     */
    static LimitSettings read(ConfigSection section, boolean allOptional) {
        LimitSettings settings = new LimitSettings(
                section.value("max_time_range") // a time range is counted in days: 31 means 31d
                        .flatMap(v -> v.duration(SECOND, Duration.ofDays(3650), "d")),
                section.value("on_exceed").flatMap(LimitSettings::onExceed),
                section.value("require_time_filter").flatMap(ConfigValue::bool),
                integer(section, "requests_per_minute", 1, 1_000_000),
                integer(section, "max_concurrent", 1, 10_000),
                integer(section, "max_queue", 0, 1_000_000),
                duration(section, "max_queue_time", MILLISECOND, Duration.ofHours(1)),
                duration(section, "max_execution_time", MILLISECOND, Duration.ofDays(1)),
                duration(section, "daily_es_time_budget", MILLISECOND, Duration.ofDays(365)));
        if (!allOptional) {
            String prefix = section.path() + ".";
            for (String key : new String[] {"max_queue", "max_queue_time"}) {
                if (section.isSet(key) && !section.isSet("max_concurrent")) {
                    section.problem(
                            key,
                            "only applies with " + prefix + "max_concurrent, which is not set;"
                                    + " set max_concurrent or remove " + key);
                }
            }
            if (section.isSet("on_exceed") && !section.isSet("max_time_range")) {
                section.problem(
                        "on_exceed",
                        "only applies with " + prefix + "max_time_range, which is not set;"
                                + " set max_time_range or remove on_exceed");
            }
        }
        return settings;
    }

    private static Optional<OnExceed> onExceed(ConfigValue value) {
        return value.string().flatMap(s -> switch (s) {
            case "reject" -> Optional.of(OnExceed.REJECT);
            case "clamp" -> Optional.of(OnExceed.CLAMP);
            default -> {
                value.problem("must be reject or clamp");
                yield Optional.empty();
            }
        });
    }

    private static Optional<Duration> duration(ConfigSection section, String key, Duration min, Duration max) {
        return section.value(key).flatMap(v -> v.duration(min, max));
    }

    private static Optional<Integer> integer(ConfigSection section, String key, int min, int max) {
        return section.value(key).flatMap(v -> v.integer(min, max, "a whole number"));
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** The set keys under their file names, in the order {@link #read} asks for them. */
    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        maxTimeRange.ifPresent(d -> tree.put("max_time_range", Durations.format(d)));
        onExceed.ifPresent(o -> tree.put("on_exceed", o.configName()));
        requireTimeFilter.ifPresent(b -> tree.put("require_time_filter", b));
        requestsPerMinute.ifPresent(n -> tree.put("requests_per_minute", n));
        maxConcurrent.ifPresent(n -> tree.put("max_concurrent", n));
        maxQueue.ifPresent(n -> tree.put("max_queue", n));
        maxQueueTime.ifPresent(d -> tree.put("max_queue_time", Durations.format(d)));
        maxExecutionTime.ifPresent(d -> tree.put("max_execution_time", Durations.format(d)));
        dailyEsTimeBudget.ifPresent(d -> tree.put("daily_es_time_budget", Durations.format(d)));
        return tree;
    }
}
