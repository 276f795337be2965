package io.sketchgate.policy;

import com.github.benmanes.caffeine.cache.Cache;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import io.sketchgate.caches.Caches;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * {@code requests_per_minute}: one Bucket4j token bucket per user and rate, capacity = rate, refilled greedily
 * at rate per minute (one token every 60/rate seconds, so a user may burst the whole minute's allowance and
 * then proceeds at the steady rate).
 *
 * <p>Buckets are keyed by the rate as well as the user, so requests governed by different rates count
 * separately and a config reload that changes a rate simply starts new buckets. A bucket idle for a minute is
 * full again, the same as a new one, so Caffeine drops it after a minute without access: memory follows the
 * number of users active in the last minute.
 */
final class RequestRateLimiter {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private record Key(String user, int rate) {}

    private final TimeMeter timeMeter;
    private final Cache<Key, Bucket> buckets;

    RequestRateLimiter(LongSupplier nanoTime) {
        this.timeMeter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoTime.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        this.buckets = Caches.newBuilder()
                .ticker(nanoTime::getAsLong)
                .expireAfterAccess(MINUTE)
                .build();
    }

    /** Takes one token, or says how long until the next one. */
    Optional<Rejection> tryConsume(String user, Limit<Integer> rate) {
        Bucket bucket = buckets.get(
                new Key(user, rate.value()),
                key -> Bucket.builder()
                        .addLimit(limit -> limit.capacity(key.rate()).refillGreedy(key.rate(), MINUTE))
                        .withCustomTimePrecision(timeMeter)
                        .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return Optional.empty();
        }
        return Optional.of(refusal(user, rate, probe.getNanosToWaitForRefill()));
    }

    /** Whether a token is there, taking none: for explaining a request without spending the user's rate. */
    Optional<Rejection> peek(String user, Limit<Integer> rate) {
        Bucket bucket = buckets.getIfPresent(new Key(user, rate.value()));
        if (bucket == null) {
            return Optional.empty(); // a new bucket is full
        }
        EstimationProbe probe = bucket.estimateAbilityToConsume(1);
        return probe.canBeConsumed()
                ? Optional.empty()
                : Optional.of(refusal(user, rate, probe.getNanosToWaitForRefill()));
    }

    private static Rejection refusal(String user, Limit<Integer> rate, long nanosToWait) {
        Duration wait = Duration.ofNanos(nanosToWait);
        return Rejection.tooManyRequests(
                "rate_limit",
                "User " + user + " made more than " + rate.value()
                        + " requests in the last minute (" + rate.describe() + "). Wait " + HumanDurations.format(wait)
                        + " and try again, or " + Messages.RAISE,
                wait);
    }

    long trackedBuckets() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
