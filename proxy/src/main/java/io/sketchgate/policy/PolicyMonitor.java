package io.sketchgate.policy;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.Map;
import java.util.Set;

/**
 * What the policy tells metrics and usage accounting. Calls come from event loops and queue threads; they must
 * be cheap and never block.
 */
public interface PolicyMonitor {
    PolicyMonitor NONE = new PolicyMonitor() {};

    /** Once, when the policy is built: its caches by name and its quotas, for gauges. */
    default void started(Map<String, Cache<?, ?>> caches, Quotas quotas) {}

    /**
     * A query of {@code user} waited in the user's {@code max_concurrent} queue for {@code waitNanos};
     * {@code admitted} is false when it timed out or its client left.
     */
    default void queueWaited(String user, long waitNanos, boolean admitted) {}

    /** The roles identity gave {@code user} on a query, so usage can be filtered by role. */
    default void identified(String user, Set<String> roles) {}
}
