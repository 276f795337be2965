package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
    private final ManualTime time = new ManualTime(Instant.parse("2026-11-25T10:00:00Z"));
    private final Quotas quotas = new Quotas(time.clock(), time::nanoTime, time, ZoneOffset.UTC);
    private final EffectiveLimits twoAndTwo =
            QuotaFixtures.concurrency(2, Optional.of(2), Optional.of(Duration.ofSeconds(5)));

    @Test
    void requestsOverMaxConcurrent_waitInArrivalOrder_andEachReleaseHandsOverOneSlot() {
        Permit first = quotas.acquire("alice", twoAndTwo).join();
        Permit second = quotas.acquire("alice", twoAndTwo).join();
        CompletableFuture<Permit> third = quotas.acquire("alice", twoAndTwo);
        CompletableFuture<Permit> fourth = quotas.acquire("alice", twoAndTwo);
        assertThat(third).isNotDone();
        assertThat(fourth).isNotDone();

        first.release();
        assertThat(third).isCompleted();
        assertThat(fourth).isNotDone();
        assertThat(quotas.running("alice")).isEqualTo(2);

        second.release();
        assertThat(fourth).isCompleted();
        assertThat(quotas.running("alice")).isEqualTo(2);
    }

    @Test
    void fullQueue_isRefusedAtOnce_naming_maxConcurrentAndMaxQueue() {
        quotas.acquire("alice", twoAndTwo);
        quotas.acquire("alice", twoAndTwo);
        quotas.acquire("alice", twoAndTwo);
        quotas.acquire("alice", twoAndTwo);

        Rejection refused = rejection(quotas.acquire("alice", twoAndTwo));

        assertThat(refused)
                .isEqualTo(new Rejection(
                        429,
                        "sketchgate_quota_exception",
                        "User alice already has 2"
                                + " requests running and 2 waiting (max_concurrent and max_queue of role analyst). Wait for them to"
                                + " finish and try again, or ask an administrator to raise the limit.",
                        Optional.of(Duration.ofSeconds(1)),
                        "queue_full"));
        assertThat(refused.retryAfterSeconds()).isEqualTo(OptionalLong.of(1));
    }

    @Test
    void maxQueueZero_refusesEveryRequestOverTheConcurrency() {
        EffectiveLimits noQueue = QuotaFixtures.concurrency(1, Optional.of(0), Optional.empty());
        quotas.acquire("alice", noQueue);

        assertThat(rejection(quotas.acquire("alice", noQueue)).reason())
                .isEqualTo("User alice already has 1 request"
                        + " running (max_concurrent and max_queue of role analyst). Wait for them to finish and try again, or"
                        + " ask an administrator to raise the limit.");
    }

    @Test
    void queuedRequest_waitingLongerThanMaxQueueTime_isRefused() {
        quotas.acquire("alice", twoAndTwo);
        quotas.acquire("alice", twoAndTwo);
        CompletableFuture<Permit> waiting = quotas.acquire("alice", twoAndTwo);

        time.advance(Duration.ofMillis(4999));
        assertThat(waiting).isNotDone();
        time.advance(Duration.ofMillis(1));

        assertThat(rejection(waiting))
                .isEqualTo(new Rejection(
                        429,
                        "sketchgate_quota_exception",
                        "User alice waited"
                                + " 5 s for one of 2 request slots, but the requests running did not finish in time (max_concurrent and"
                                + " max_queue_time of role analyst). Wait for them to finish and try again, or ask an administrator to"
                                + " raise the limit.",
                        Optional.of(Duration.ofSeconds(1)),
                        "queue_timeout"));
    }

    @Test
    void requestServedBeforeItsQueueTime_cancelsItsTimeout() {
        Permit first = quotas.acquire("alice", twoAndTwo).join();
        quotas.acquire("alice", twoAndTwo);
        CompletableFuture<Permit> waiting = quotas.acquire("alice", twoAndTwo);
        assertThat(time.pendingTasks()).isEqualTo(1);

        first.release();

        assertThat(waiting).isCompleted();
        assertThat(time.pendingTasks()).isZero();
        time.advance(Duration.ofSeconds(10));
        assertThat(waiting).isCompletedWithValueMatching(p -> p != null);
    }

    @Test
    void timedOutRequest_leavesTheQueue_soTheSlotGoesToTheNextOne() {
        Permit first = quotas.acquire("alice", twoAndTwo).join();
        quotas.acquire("alice", twoAndTwo);
        CompletableFuture<Permit> early = quotas.acquire("alice", twoAndTwo);
        time.advance(Duration.ofSeconds(3));
        CompletableFuture<Permit> late = quotas.acquire("alice", twoAndTwo);
        time.advance(Duration.ofSeconds(2));
        assertThat(early).isCompletedExceptionally();

        first.release();

        assertThat(late).isCompleted();
        assertThat(late.isCompletedExceptionally()).isFalse();
    }

    @Test
    void cancelledWaiter_leavesTheQueue_andTheSlotGoesToTheNextOne() {
        Permit first = quotas.acquire("alice", twoAndTwo).join();
        quotas.acquire("alice", twoAndTwo);
        CompletableFuture<Permit> goneAway = quotas.acquire("alice", twoAndTwo);
        CompletableFuture<Permit> next = quotas.acquire("alice", twoAndTwo);

        goneAway.cancel(false);
        assertThat(time.pendingTasks()).isEqualTo(1);
        CompletableFuture<Permit> third = quotas.acquire("alice", twoAndTwo); // the cancelled one freed a queue place
        assertThat(third).isNotDone();

        first.release();

        assertThat(next).isCompleted();
        assertThat(next.isCompletedExceptionally()).isFalse();
        assertThat(third).isNotDone();
    }

    @Test
    void releasingTwice_freesOneSlot() {
        EffectiveLimits one = QuotaFixtures.concurrency(1, Optional.empty(), Optional.empty());
        Permit permit = quotas.acquire("alice", one).join();
        CompletableFuture<Permit> second = quotas.acquire("alice", one);
        CompletableFuture<Permit> third = quotas.acquire("alice", one);

        permit.release();
        permit.release();

        assertThat(second).isCompleted();
        assertThat(third).isNotDone();
        assertThat(quotas.running("alice")).isEqualTo(1);
    }

    @Test
    void usersDoNotShareSlots() {
        EffectiveLimits one = QuotaFixtures.concurrency(1, Optional.of(0), Optional.empty());
        quotas.acquire("alice", one);

        assertThat(quotas.acquire("bob", one)).isCompleted();
        assertThat(quotas.acquire("alice", one)).isCompletedExceptionally();
    }

    @Test
    void idleUser_leavesNoState() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(time);
        Limit<Integer> max = QuotaFixtures.<Integer>analyst("max_concurrent", 1).orElseThrow();
        Permit a = limiter.acquire("alice", max, Optional.empty(), Optional.empty())
                .join();
        CompletableFuture<Permit> b = limiter.acquire("alice", max, Optional.empty(), Optional.empty());
        assertThat(limiter.trackedQueues()).isEqualTo(1);

        a.release();
        assertThat(limiter.trackedQueues()).isEqualTo(1);
        b.join().release();

        assertThat(limiter.trackedQueues()).isZero();
        assertThat(limiter.acquire("alice", max, Optional.empty(), Optional.empty()))
                .isCompleted();
    }

    @Test
    void manyThreadsAcquiringAndReleasing_neverHoldMoreThanMaxConcurrent() throws Exception {
        int maxConcurrent = 3;
        int threads = 8;
        int rounds = 3000;
        EffectiveLimits limits = QuotaFixtures.concurrency(maxConcurrent, Optional.empty(), Optional.empty());
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger mostHeld = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < rounds; i++) {
                    CompletableFuture<Permit> future = quotas.acquire("alice", limits);
                    if (ThreadLocalRandom.current().nextInt(10) == 0 && future.cancel(false)) {
                        continue; // the client went away while queued
                    }
                    Permit permit = future.join();
                    int now = holding.incrementAndGet();
                    mostHeld.accumulateAndGet(now, Math::max);
                    served.incrementAndGet();
                    holding.decrementAndGet();
                    permit.release();
                    if (ThreadLocalRandom.current().nextBoolean()) {
                        permit.release();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(mostHeld.get()).isBetween(1, maxConcurrent);
        assertThat(served.get()).isGreaterThan(threads * rounds / 2);
        assertThat(quotas.running("alice")).isZero();
    }

    private static Rejection rejection(CompletableFuture<Permit> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.get();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PolicyException.class);
            return ((PolicyException) e.getCause()).rejection();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("not failed");
    }
}
