package io.sketchgate.policy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Effective limits of role analyst with only the quota keys a test sets. */
final class QuotaFixtures {
    private QuotaFixtures() {}

    static <T> Optional<Limit<T>> analyst(String key, T value) {
        return Optional.of(new Limit<>(value, key, LimitSource.role("analyst")));
    }

    static EffectiveLimits rate(int perMinute) {
        return new EffectiveLimits(
                List.of("analyst"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                analyst("requests_per_minute", perMinute),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    static EffectiveLimits budget(Duration budget) {
        return new EffectiveLimits(
                List.of("analyst"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                analyst("daily_es_time_budget", budget));
    }

    static EffectiveLimits concurrency(int maxConcurrent, Optional<Integer> maxQueue, Optional<Duration> maxQueueTime) {
        return new EffectiveLimits(
                List.of("analyst"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                analyst("max_concurrent", maxConcurrent),
                maxQueue.flatMap(q -> analyst("max_queue", q)),
                maxQueueTime.flatMap(t -> analyst("max_queue_time", t)),
                Optional.empty(),
                Optional.empty());
    }
}
