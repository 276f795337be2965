package io.sketchgate.policy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code max_concurrent}, {@code max_queue} and {@code max_queue_time}: one {@link AdmissionQueue} per user and
 * setting, created on the first request and removed by the queue itself when it falls idle.
 */
final class ConcurrencyLimiter {
    private record Key(String user, int maxConcurrent, int maxQueue, Duration maxQueueTime) {}

    private final DelayScheduler scheduler;
    private final ConcurrentMap<Key, AdmissionQueue> queues = new ConcurrentHashMap<>();

    ConcurrencyLimiter(DelayScheduler scheduler) {
        this.scheduler = scheduler;
    }

    CompletableFuture<Permit> acquire(
            String user,
            Limit<Integer> maxConcurrent,
            Optional<Limit<Integer>> maxQueue,
            Optional<Limit<Duration>> maxQueueTime) {
        Key key = new Key(
                user,
                maxConcurrent.value(),
                maxQueue.map(Limit::value).orElse(Integer.MAX_VALUE),
                maxQueueTime.map(Limit::value).orElse(Duration.ZERO));
        while (true) {
            AdmissionQueue queue = queues.computeIfAbsent(
                    key,
                    k -> new AdmissionQueue(
                            k.user(),
                            k.maxConcurrent(),
                            k.maxQueue(),
                            scheduler,
                            retired -> queues.remove(k, retired)));
            CompletableFuture<Permit> result = queue.tryAcquire(maxConcurrent, maxQueue, maxQueueTime);
            if (result != null) {
                return result;
            }
            queues.remove(key, queue); // retired between lookup and acquire: help it out and take a fresh one
        }
    }

    /** Requests of {@code user} holding a slot, over all settings. */
    int running(String user) {
        return queues.entrySet().stream()
                .filter(e -> e.getKey().user().equals(user))
                .mapToInt(e -> e.getValue().held())
                .sum();
    }

    /** Requests holding a slot, over all users; for a gauge, read when scraped. */
    int runningTotal() {
        return queues.values().stream().mapToInt(AdmissionQueue::held).sum();
    }

    /** Requests waiting for a slot, over all users. */
    int waitingTotal() {
        return queues.values().stream().mapToInt(AdmissionQueue::waiting).sum();
    }

    int trackedQueues() {
        return queues.size();
    }
}
