package io.sketchgate.telemetry;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What one user did in one hour since the last flush; {@link UsageStore} adds it to the stored document.
 *
 * @param hour        the start of the hour (UTC)
 * @param roles       the user's roles as last seen (empty when unknown)
 * @param rejections  refused requests by reason code
 */
record UsageDelta(
        String user,
        Instant hour,
        Set<String> roles,
        long requests,
        Map<String, Long> rejections,
        long queueWaits,
        long queueWaitMillis,
        long esTimeMillis,
        long bytesIn,
        long bytesOut) {
    UsageDelta {
        roles = Set.copyOf(roles);
        rejections = Map.copyOf(rejections);
    }

    boolean isEmpty() {
        return requests == 0
                && rejections.isEmpty()
                && queueWaits == 0
                && esTimeMillis == 0
                && bytesIn == 0
                && bytesOut == 0;
    }
}
