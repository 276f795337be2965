package io.sketchgate.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A set of limit keys, each optional: what {@code users.NAME.overrides} holds, and the same keys a role sets.
 * An empty value means "not set here", so a user's override replaces a role's limit only where it has one.
 *
 * <p>Kept apart from any role record so the roles reader can reuse {@link #read} for its own keys.
 */
public record LimitOverrides(
        Optional<List<String>> indices,
        Optional<Duration> maxTimeRange,
        Optional<OnExceed> onExceed,
        Optional<Boolean> requireTimeFilter,
        Optional<Integer> requestsPerMinute,
        Optional<Integer> maxConcurrent,
        Optional<Integer> maxQueue,
        Optional<Duration> maxQueueTime,
        Optional<Duration> maxExecutionTime,
        Optional<Duration> dailyEsTimeBudget) {

    /** No key set. */
    public static final LimitOverrides NONE = new LimitOverrides(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    private static final Duration MILLISECOND = Duration.ofMillis(1);
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration HUNDRED_YEARS = Duration.ofDays(36_500);

    public LimitOverrides {
        indices = Objects.requireNonNull(indices, "indices").map(List::copyOf);
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

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** Reads every limit key of {@code section}; each one not set stays empty. */
    static LimitOverrides read(ConfigSection section) {
        Optional<List<String>> indices = section.value("indices").flatMap(ConfigValue::list).map(items ->
                items.stream().flatMap(item -> item.string().stream()).toList());
        return new LimitOverrides(
                indices,
                section.value("max_time_range").flatMap(v -> v.duration(SECOND, HUNDRED_YEARS)),
                section.value("on_exceed").flatMap(LimitOverrides::onExceed),
                section.value("require_time_filter").flatMap(ConfigValue::bool),
                section.value("requests_per_minute").flatMap(v -> v.integer(1, 1_000_000, "a whole number")),
                section.value("max_concurrent").flatMap(v -> v.integer(1, 10_000, "a whole number")),
                section.value("max_queue").flatMap(v -> v.integer(0, 100_000, "a whole number")),
                section.value("max_queue_time").flatMap(v -> v.duration(Duration.ZERO, DAY)),
                section.value("max_execution_time").flatMap(v -> v.duration(MILLISECOND, DAY)),
                section.value("daily_es_time_budget").flatMap(v -> v.duration(SECOND, DAY)));
    }

    private static Optional<OnExceed> onExceed(ConfigValue value) {
        return value.string().flatMap(s -> {
            for (OnExceed candidate : OnExceed.values()) {
                if (candidate.configName().equals(s)) {
                    return Optional.of(candidate);
                }
            }
            value.problem("must be reject or clamp");
            return Optional.empty();
        });
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        indices.ifPresent(v -> tree.put("indices", v));
        maxTimeRange.ifPresent(v -> tree.put("max_time_range", Durations.format(v)));
        onExceed.ifPresent(v -> tree.put("on_exceed", v.configName()));
        requireTimeFilter.ifPresent(v -> tree.put("require_time_filter", v));
        requestsPerMinute.ifPresent(v -> tree.put("requests_per_minute", v));
        maxConcurrent.ifPresent(v -> tree.put("max_concurrent", v));
        maxQueue.ifPresent(v -> tree.put("max_queue", v));
        maxQueueTime.ifPresent(v -> tree.put("max_queue_time", Durations.format(v)));
        maxExecutionTime.ifPresent(v -> tree.put("max_execution_time", Durations.format(v)));
        dailyEsTimeBudget.ifPresent(v -> tree.put("daily_es_time_budget", Durations.format(v)));
        return tree;
    }
}
