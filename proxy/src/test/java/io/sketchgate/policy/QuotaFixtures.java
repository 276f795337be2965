package io.sketchgate.policy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Effective limits of role analyst with only the quota keys a test sets. */
final class QuotaFixtures {
    private QuotaFixtures() {}

    static <T> Optional<Limit<T>> analyst(String key, T value) {
        return Optional.of(new Limit<>(value, key, LimitSource.role("analyst")));
    }

    static EffectiveLimits rate(int perMinute) {
        return analystOnly(Map.of("requests_per_minute", perMinute));
    }

    static EffectiveLimits budget(Duration budget) {
        return analystOnly(Map.of("daily_es_time_budget", budget));
    }

    static EffectiveLimits concurrency(int maxConcurrent, Optional<Integer> maxQueue, Optional<Duration> maxQueueTime) {
        Map<String, Object> keys = new HashMap<>();
        keys.put("max_concurrent", maxConcurrent);
        maxQueue.ifPresent(q -> keys.put("max_queue", q));
        maxQueueTime.ifPresent(t -> keys.put("max_queue_time", t));
        return analystOnly(keys);
    }

    /** The limits of role analyst with these keys set, by their configuration names; the others absent. */
    private static EffectiveLimits analystOnly(Map<String, ?> keys) {
        return new EffectiveLimits(
                List.of("analyst"),
                limit(keys, "max_time_range"),
                limit(keys, "on_exceed"),
                limit(keys, "require_time_filter"),
                limit(keys, "requests_per_minute"),
                limit(keys, "max_concurrent"),
                limit(keys, "max_queue"),
                limit(keys, "max_queue_time"),
                limit(keys, "max_execution_time"),
                limit(keys, "daily_es_time_budget"));
    }

    @SuppressWarnings("unchecked")
    private static <T> Optional<Limit<T>> limit(Map<String, ?> keys, String key) {
        return Optional.ofNullable((T) keys.get(key)).flatMap(value -> analyst(key, value));
    }
}
