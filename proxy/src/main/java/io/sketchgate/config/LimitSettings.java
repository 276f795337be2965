package io.sketchgate.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
    public static final LimitSettings NONE = LimitKey.allAbsent(LimitSettings.class);

    static final Duration MILLISECOND = Duration.ofMillis(1);
    static final Duration SECOND = Duration.ofSeconds(1);

    public LimitSettings {
        LimitKey.requireOnePerKey(
                maxTimeRange,
                onExceed,
                requireTimeFilter,
                requestsPerMinute,
                maxConcurrent,
                maxQueue,
                maxQueueTime,
                maxExecutionTime,
                dailyEsTimeBudget);
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
                section.value(LimitKey.MAX_TIME_RANGE.key()) // a time range is counted in days: 31 means 31d
                        .flatMap(v -> v.duration(SECOND, Duration.ofDays(3650), "d")),
                section.value(LimitKey.ON_EXCEED.key()).flatMap(LimitSettings::onExceed),
                section.value(LimitKey.REQUIRE_TIME_FILTER.key()).flatMap(ConfigValue::bool),
                integer(section, LimitKey.REQUESTS_PER_MINUTE.key(), 1, 1_000_000),
                integer(section, LimitKey.MAX_CONCURRENT.key(), 1, 10_000),
                integer(section, LimitKey.MAX_QUEUE.key(), 0, 1_000_000),
                duration(section, LimitKey.MAX_QUEUE_TIME.key(), MILLISECOND, Duration.ofHours(1)),
                duration(section, LimitKey.MAX_EXECUTION_TIME.key(), MILLISECOND, Duration.ofDays(1)),
                duration(section, LimitKey.DAILY_ES_TIME_BUDGET.key(), MILLISECOND, Duration.ofDays(365)));
        if (!allOptional) {
            String prefix = section.path() + ".";
            for (String key : new String[] {LimitKey.MAX_QUEUE.key(), LimitKey.MAX_QUEUE_TIME.key()}) {
                if (section.isSet(key) && !section.isSet(LimitKey.MAX_CONCURRENT.key())) {
                    section.problem(
                            key,
                            "only applies with " + prefix + "max_concurrent, which is not set;"
                                    + " set max_concurrent or remove " + key);
                }
            }
            if (section.isSet(LimitKey.ON_EXCEED.key()) && !section.isSet(LimitKey.MAX_TIME_RANGE.key())) {
                section.problem(
                        LimitKey.ON_EXCEED.key(),
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
        maxTimeRange.ifPresent(d -> tree.put(LimitKey.MAX_TIME_RANGE.key(), Durations.format(d)));
        onExceed.ifPresent(o -> tree.put(LimitKey.ON_EXCEED.key(), o.configName()));
        requireTimeFilter.ifPresent(b -> tree.put(LimitKey.REQUIRE_TIME_FILTER.key(), b));
        requestsPerMinute.ifPresent(n -> tree.put(LimitKey.REQUESTS_PER_MINUTE.key(), n));
        maxConcurrent.ifPresent(n -> tree.put(LimitKey.MAX_CONCURRENT.key(), n));
        maxQueue.ifPresent(n -> tree.put(LimitKey.MAX_QUEUE.key(), n));
        maxQueueTime.ifPresent(d -> tree.put(LimitKey.MAX_QUEUE_TIME.key(), Durations.format(d)));
        maxExecutionTime.ifPresent(d -> tree.put(LimitKey.MAX_EXECUTION_TIME.key(), Durations.format(d)));
        dailyEsTimeBudget.ifPresent(d -> tree.put(LimitKey.DAILY_ES_TIME_BUDGET.key(), Durations.format(d)));
        return tree;
    }
}
