package io.sketchgate.caches;

import com.github.benmanes.caffeine.cache.Caffeine;

/** How Sketchgate builds its Caffeine caches: every one through {@link #newBuilder()}. */
public final class Caches {
    private Caches() {}

    /**
     * A builder whose cache keeps itself up on the threads that use it: eviction, expiry and removal listeners run
     * there, a few at a time, instead of as tasks for ForkJoinPool's common pool. Most caches here are read or
     * written on an event loop for every request (a rate-limit bucket, the verified identity, the limits); handing
     * their upkeep to the pool woke a pool thread several times per request, which cost the governed passthrough
     * 7 % of its throughput (benchmarks/README.md, "Passthrough"). It also keeps a size bound true after every write.
     */
    public static Caffeine<Object, Object> newBuilder() {
        return Caffeine.newBuilder().executor(Runnable::run);
    }
}
