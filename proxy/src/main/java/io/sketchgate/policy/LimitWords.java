package io.sketchgate.policy;

import com.github.benmanes.caffeine.cache.Cache;
import io.sketchgate.caches.Caches;

/**
 * The words an allowed decision starts with, {@code allowed, roles [analyst], limits max_time_range=31d (role
 * analyst) ...}, built once per {@link EffectiveLimits}. The access log reads them for every governed request, and
 * the limits of a user's requests are one remembered instance ({@link LimitResolver}'s memo), so formatting each
 * limit again per request was work for the same string.
 *
 * <p>Keyed by identity (weak keys): a run-time change or a reload resolves to new limits, hence to new words, and
 * limits no resolver remembers any more are dropped with it. Bounded besides, for resolutions that are not
 * remembered.
 */
final class LimitWords {
    static final long MAX_ENTRIES = 10_000;

    private final Cache<EffectiveLimits, String> words =
            Caches.newBuilder().weakKeys().maximumSize(MAX_ENTRIES).build();

    String allowed(EffectiveLimits limits) {
        return words.get(limits, l -> "allowed, roles " + l.governingRoles() + ", limits " + DecisionHeader.limits(l));
    }
}
