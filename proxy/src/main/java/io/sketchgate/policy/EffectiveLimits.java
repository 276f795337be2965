package io.sketchgate.policy;

import io.sketchgate.config.OnExceed;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The limits that apply to one request of one user, with where each came from. Absent means no such limit.
 * Built by {@link LimitResolver}; read by the time-range check, {@link Quotas} and the access log.
 *
 * @param governingRoles the user's roles whose indices the request may touch, in the user's order; empty when
 *                       the request is not governed, and then every limit is absent
 * @param onExceed       present exactly when {@code maxTimeRange} is
 * @param maxQueue       only meaningful with {@code maxConcurrent}; absent means the queue is not bounded
 * @param maxQueueTime   only meaningful with {@code maxConcurrent}; absent means a request waits until a slot
 *                       frees or its client goes away
 */
public record EffectiveLimits(
        List<String> governingRoles,
        Optional<Limit<Duration>> maxTimeRange,
        Optional<Limit<OnExceed>> onExceed,
        Optional<Limit<Boolean>> requireTimeFilter,
        Optional<Limit<Integer>> requestsPerMinute,
        Optional<Limit<Integer>> maxConcurrent,
        Optional<Limit<Integer>> maxQueue,
        Optional<Limit<Duration>> maxQueueTime,
        Optional<Limit<Duration>> maxExecutionTime,
        Optional<Limit<Duration>> dailyEsTimeBudget) {

    /** A request no role governs. */
    public static final EffectiveLimits UNGOVERNED = new EffectiveLimits(
            List.of(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    public EffectiveLimits {
        governingRoles = List.copyOf(governingRoles);
        Objects.requireNonNull(maxTimeRange, "maxTimeRange");
        Objects.requireNonNull(onExceed, "onExceed");
        Objects.requireNonNull(requireTimeFilter, "requireTimeFilter");
        Objects.requireNonNull(requestsPerMinute, "requestsPerMinute");
        Objects.requireNonNull(maxConcurrent, "maxConcurrent");
        Objects.requireNonNull(maxQueue, "maxQueue");
        Objects.requireNonNull(maxQueueTime, "maxQueueTime");
        Objects.requireNonNull(maxExecutionTime, "maxExecutionTime");
        Objects.requireNonNull(dailyEsTimeBudget, "dailyEsTimeBudget");
        if (maxTimeRange.isPresent() != onExceed.isPresent()) {
            throw new IllegalArgumentException("onExceed goes with maxTimeRange");
        }
    }

    public boolean isGoverned() {
        return !governingRoles.isEmpty();
    }

    /** Whether a request without a time filter must be refused. */
    public boolean timeFilterRequired() {
        return requireTimeFilter.map(Limit::value).orElse(false);
    }
}
