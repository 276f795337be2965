package io.sketchgate.policy;

import com.github.benmanes.caffeine.cache.Cache;
import io.sketchgate.caches.Caches;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * {@code daily_es_time_budget}: per user, the sum of Elasticsearch's {@code took} over the current day, and the
 * check against a request's budget. The day is a calendar day in {@link #zone} (UTC unless configured), so
 * every user's budget resets at the same moment and the reset time is easy to state in a message.
 *
 * <p>{@code took} is known only after a response, so requests that start while the budget still has time
 * left all run: the budget can be overshot by what those requests take. It stops the next day's worth of
 * heavy use, not a single expensive request ({@code max_execution_time} does that).
 *
 * <p>A user's usage is one immutable {@link Usage} replaced atomically through Caffeine's map; it is dropped a
 * day after its last update, by which time it no longer counts.
 */
final class EsTimeBudget {
    private record Usage(LocalDate day, long millis) {}

    /** A calendar day in {@link #zone} and the epoch seconds it spans, {@code [fromSecond, untilSecond)}. */
    private record Day(LocalDate date, long fromSecond, long untilSecond) {}

    private final InstantSource clock;
    private final ZoneId zone;
    private final Cache<String, Usage> usage;
    private volatile Day day;

    EsTimeBudget(InstantSource clock, LongSupplier nanoTime, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
        this.usage = Caches.newBuilder()
                .ticker(nanoTime::getAsLong)
                .expireAfterWrite(Duration.ofDays(1))
                .build();
    }

    void record(String user, Duration took) {
        if (took.isNegative() || took.isZero()) {
            return;
        }
        LocalDate today = today();
        long millis = took.toMillis();
        usage.asMap()
                .merge(
                        user,
                        new Usage(today, millis),
                        (old, added) ->
                                old.day().equals(today) ? new Usage(today, saturatedAdd(old.millis(), millis)) : added);
    }

    Duration usedToday(String user) {
        Usage u = usage.getIfPresent(user);
        return u == null || !u.day().equals(today()) ? Duration.ZERO : Duration.ofMillis(u.millis());
    }

    Duration remaining(String user, Limit<Duration> budget) {
        Duration left = budget.value().minus(usedToday(user));
        return left.isNegative() ? Duration.ZERO : left;
    }

    Optional<Rejection> check(String user, Limit<Duration> budget) {
        Duration used = usedToday(user);
        if (used.compareTo(budget.value()) < 0) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Duration untilReset =
                Duration.between(now, today(now).plusDays(1).atStartOfDay(zone).toInstant());
        return Optional.of(Rejection.tooManyRequests(
                "es_time_budget",
                "User " + user + " has used up the daily Elasticsearch time"
                        + " budget of " + HumanDurations.formatLimit(budget.value()) + " (" + budget.describe()
                        + "): their"
                        + " requests took " + HumanDurations.formatLimit(used)
                        + " in Elasticsearch today. The budget resets"
                        + " at midnight " + zoneName() + ", in " + HumanDurations.format(untilReset)
                        + "; try again then, or "
                        + Messages.RAISE,
                untilReset));
    }

    private String zoneName() {
        return zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
    }

    private LocalDate today() {
        return today(clock.instant());
    }

    /**
     * Every completed request asks for the day: the last day found is kept with the seconds it spans, and only an
     * instant outside them (midnight passed, the clock set back) works the day out again from the zone's rules.
     */
    private LocalDate today(Instant now) {
        Day known = day;
        long second = now.getEpochSecond();
        if (known == null || second < known.fromSecond() || second >= known.untilSecond()) {
            LocalDate date = LocalDate.ofInstant(now, zone);
            known = new Day(
                    date,
                    date.atStartOfDay(zone).toEpochSecond(),
                    date.plusDays(1).atStartOfDay(zone).toEpochSecond());
            day = known; // a race computes the same day twice, harmlessly
        }
        return known.date();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
