package io.sketchgate.policy;

import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * The stateful limits of every user: {@code requests_per_minute}, {@code max_concurrent} with its queue, and
 * {@code daily_es_time_budget}. One instance per proxy, shared by all event loops; nothing here blocks.
 *
 * <p>Per request: {@link #admit} (or {@link #checkRateAndBudget} then {@link #acquire}); when the response
 * arrives, {@link #recordEsTime} with its {@code took}, and {@link Permit#release()} when the exchange ends,
 * however it ends. The order inside {@code admit} is budget, rate, concurrency: a request refused for its
 * budget spends no token, and one refused for its rate takes no slot.
 *
 * <p>Threads: a queued future completes on the thread that released the slot (another connection's event loop)
 * or on the scheduler's thread (timeout); continue on the channel's own loop with
 * {@code future.whenCompleteAsync(..., channel.eventLoop())}. When the client goes away, {@code cancel} the
 * future; if {@code cancel} returns false the permit was already granted and must be released.
 *
 * <p>State is created on a user's first request and dropped when idle (see each limiter), so memory follows
 * the number of active users.
 */
public final class Quotas {
    private final RequestRateLimiter rates;
    private final ConcurrencyLimiter concurrency;
    private final EsTimeBudget budgets;

    /**
     * @param clock      wall-clock time, for the day of the time budget
     * @param nanoTime   monotonic time, for token buckets and idle expiry ({@code System::nanoTime})
     * @param scheduler  runs queue timeouts; {@link DelayScheduler#of} adapts an event loop group
     * @param budgetZone the zone whose midnight resets time budgets; UTC in production
     */
    public Quotas(InstantSource clock, LongSupplier nanoTime, DelayScheduler scheduler, ZoneId budgetZone) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(nanoTime, "nanoTime");
        this.rates = new RequestRateLimiter(nanoTime);
        this.concurrency = new ConcurrencyLimiter(Objects.requireNonNull(scheduler, "scheduler"));
        this.budgets = new EsTimeBudget(clock, nanoTime, Objects.requireNonNull(budgetZone, "budgetZone"));
    }

    /** System clocks, budgets resetting at midnight UTC, queue timeouts on {@code executor}. */
    public static Quotas create(ScheduledExecutorService executor) {
        return new Quotas(InstantSource.system(), System::nanoTime, DelayScheduler.of(executor), ZoneOffset.UTC);
    }

    /**
     * All three checks: a future completed at once with a permit (or failed with a {@link PolicyException}),
     * or later when a queued request gets its slot or times out. Cancelling the future withdraws a queued
     * request. {@link Permit#UNLIMITED} when there is no concurrency limit.
     */
    public CompletableFuture<Permit> admit(String user, EffectiveLimits limits) {
        Optional<Rejection> refused = checkRateAndBudget(user, limits);
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(refused.get().toException());
        }
        return acquire(user, limits);
    }

    /** The daily budget, then one token of the request rate; empty when the request may go on. */
    public Optional<Rejection> checkRateAndBudget(String user, EffectiveLimits limits) {
        return checkBudgetThenRate(user, limits, rates::tryConsume);
    }

    /**
     * What {@link #checkRateAndBudget} would answer, consuming nothing: for explaining a request. Concurrency is
     * not refused here (a request over {@code max_concurrent} waits); {@link #running} tells how busy the user is.
     */
    public Optional<Rejection> preview(String user, EffectiveLimits limits) {
        return checkBudgetThenRate(user, limits, rates::peek);
    }

    /** The one order of the checks, whether the rate check takes a token or only looks. */
    private Optional<Rejection> checkBudgetThenRate(
            String user, EffectiveLimits limits, BiFunction<String, Limit<Integer>, Optional<Rejection>> rate) {
        if (limits.dailyEsTimeBudget().isPresent()) {
            Optional<Rejection> refused =
                    budgets.check(user, limits.dailyEsTimeBudget().get());
            if (refused.isPresent()) {
                return refused;
            }
        }
        if (limits.requestsPerMinute().isPresent()) {
            return rate.apply(user, limits.requestsPerMinute().get());
        }
        return Optional.empty();
    }

    /**
     * A slot under {@code max_concurrent}, waiting in the user's FIFO queue when all are taken. Without
     * {@code max_concurrent}, {@code max_queue} and {@code max_queue_time} mean nothing and the permit is
     * {@link Permit#UNLIMITED}.
     */
    public CompletableFuture<Permit> acquire(String user, EffectiveLimits limits) {
        if (limits.maxConcurrent().isEmpty()) {
            return CompletableFuture.completedFuture(Permit.UNLIMITED);
        }
        return concurrency.acquire(user, limits.maxConcurrent().get(), limits.maxQueue(), limits.maxQueueTime());
    }

    /** Adds a response's {@code took} to the user's usage of the day. */
    public void recordEsTime(String user, Duration took) {
        budgets.record(user, took);
    }

    /** Elasticsearch time the user's requests took today. */
    public Duration esTimeUsedToday(String user) {
        return budgets.usedToday(user);
    }

    /** What is left of the budget that applies to a request with these limits; empty without a budget. */
    public Optional<Duration> esTimeRemainingToday(String user, EffectiveLimits limits) {
        return limits.dailyEsTimeBudget().map(budget -> budgets.remaining(user, budget));
    }

    /** Requests of all users holding a concurrency slot right now, for metrics. */
    public int runningTotal() {
        return concurrency.runningTotal();
    }

    /** Requests of all users waiting in concurrency queues right now, for metrics. */
    public int waitingTotal() {
        return concurrency.waitingTotal();
    }

    /** Requests of {@code user} holding a concurrency slot right now, for the admin API. */
    public int running(String user) {
        return concurrency.running(user);
    }
}
