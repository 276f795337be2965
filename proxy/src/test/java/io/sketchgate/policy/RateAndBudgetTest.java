package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RateAndBudgetTest {
    private final ManualTime time = new ManualTime(Instant.parse("2026-11-25T22:00:00Z"));
    private final Quotas quotas = new Quotas(time.clock(), time::nanoTime, time, ZoneOffset.UTC);

    @Test
    void requestsPerMinute_allowsABurstOfTheRate_thenOneTokenPerInterval() {
        EffectiveLimits limits = QuotaFixtures.rate(3);

        for (int i = 0; i < 3; i++) {
            assertThat(quotas.checkRateAndBudget("alice", limits))
                    .as("request %d", i)
                    .isEmpty();
        }
        Rejection refused = quotas.checkRateAndBudget("alice", limits).orElseThrow();

        assertThat(refused)
                .isEqualTo(new Rejection(
                        429,
                        "sketchgate_quota_exception",
                        "User alice made more than 3"
                                + " requests in the last minute (requests_per_minute of role analyst). Wait 20 s and try again, or ask"
                                + " an administrator to raise the limit.",
                        Optional.of(Duration.ofSeconds(20)),
                        "rate_limit"));
        assertThat(refused.retryAfterSeconds()).isEqualTo(OptionalLong.of(20));

        time.advance(Duration.ofSeconds(19));
        assertThat(quotas.checkRateAndBudget("alice", limits).orElseThrow().reason())
                .contains("Wait 1 s");
        time.advance(Duration.ofSeconds(1));
        assertThat(quotas.checkRateAndBudget("alice", limits)).isEmpty();
        assertThat(quotas.checkRateAndBudget("alice", limits)).isPresent();
    }

    @Test
    void requestsPerMinute_retryAfter_isTheTimeToTheNextTokenRoundedUp() {
        EffectiveLimits limits = QuotaFixtures.rate(120);
        for (int i = 0; i < 120; i++) {
            assertThat(quotas.checkRateAndBudget("alice", limits)).isEmpty();
        }
        time.advance(Duration.ofMillis(100));

        Rejection refused = quotas.checkRateAndBudget("alice", limits).orElseThrow();

        assertThat(refused.retryAfter()).contains(Duration.ofMillis(400));
        assertThat(refused.retryAfterSeconds()).isEqualTo(OptionalLong.of(1));
        assertThat(refused.reason())
                .isEqualTo(
                        "User alice made more than 120 requests in the last minute"
                                + " (requests_per_minute of role analyst). Wait 1 s and try again, or ask an administrator to raise the limit.");
    }

    @Test
    void requestsPerMinute_countsEachUserSeparately() {
        EffectiveLimits limits = QuotaFixtures.rate(1);

        assertThat(quotas.checkRateAndBudget("alice", limits)).isEmpty();
        assertThat(quotas.checkRateAndBudget("bob", limits)).isEmpty();
        assertThat(quotas.checkRateAndBudget("alice", limits)).isPresent();
    }

    @Test
    void requestsPerMinute_idleBucketsAreDroppedAfterAMinute_andComeBackFull() {
        RequestRateLimiter limiter = new RequestRateLimiter(time::nanoTime);
        Limit<Integer> rate =
                QuotaFixtures.<Integer>analyst("requests_per_minute", 2).orElseThrow();
        limiter.tryConsume("alice", rate);
        limiter.tryConsume("alice", rate);
        assertThat(limiter.trackedBuckets()).isEqualTo(1);

        time.advance(Duration.ofMinutes(1).plusMillis(1));

        assertThat(limiter.trackedBuckets()).isZero();
        assertThat(limiter.tryConsume("alice", rate)).isEmpty();
        assertThat(limiter.tryConsume("alice", rate)).isEmpty();
        assertThat(limiter.tryConsume("alice", rate)).isPresent();
    }

    @Test
    void ungovernedRequest_isNeverLimited() {
        for (int i = 0; i < 1000; i++) {
            assertThat(quotas.checkRateAndBudget("alice", EffectiveLimits.UNGOVERNED))
                    .isEmpty();
        }
        assertThat(quotas.acquire("alice", EffectiveLimits.UNGOVERNED)).isCompletedWithValue(Permit.UNLIMITED);
    }

    @Test
    void dailyBudget_refusesOnceTheDaysTookReachesIt_untilMidnightUtc() {
        EffectiveLimits limits = QuotaFixtures.budget(Duration.ofMinutes(30));
        quotas.recordEsTime("alice", Duration.ofMinutes(29));
        assertThat(quotas.checkRateAndBudget("alice", limits)).isEmpty();
        assertThat(quotas.esTimeRemainingToday("alice", limits)).contains(Duration.ofMinutes(1));

        quotas.recordEsTime("alice", Duration.ofSeconds(75));
        time.advance(Duration.ofMinutes(3).plusSeconds(20));
        Rejection refused = quotas.checkRateAndBudget("alice", limits).orElseThrow();

        assertThat(refused)
                .isEqualTo(new Rejection(
                        429,
                        "sketchgate_quota_exception",
                        "User alice has used up the daily"
                                + " Elasticsearch time budget of 30 min (daily_es_time_budget of role analyst): their requests took"
                                + " 30 min 15 s in Elasticsearch today. The budget resets at midnight UTC, in 1 h 57 min; try again"
                                + " then, or ask an administrator to raise the limit.",
                        Optional.of(Duration.ofSeconds(7000)),
                        "es_time_budget"));
        assertThat(refused.retryAfterSeconds()).isEqualTo(OptionalLong.of(7000));
        assertThat(quotas.esTimeRemainingToday("alice", limits)).contains(Duration.ZERO);
        assertThat(quotas.esTimeUsedToday("alice")).isEqualTo(Duration.ofSeconds(1815));
    }

    @Test
    void dailyBudget_startsAfreshAfterMidnight() {
        EffectiveLimits limits = QuotaFixtures.budget(Duration.ofMinutes(30));
        quotas.recordEsTime("alice", Duration.ofMinutes(31));
        assertThat(quotas.checkRateAndBudget("alice", limits)).isPresent();

        time.advance(Duration.ofHours(2));

        assertThat(quotas.esTimeUsedToday("alice")).isEqualTo(Duration.ZERO);
        assertThat(quotas.checkRateAndBudget("alice", limits)).isEmpty();
        quotas.recordEsTime("alice", Duration.ofSeconds(5));
        assertThat(quotas.esTimeUsedToday("alice")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void dailyBudget_isPerUser_andIgnoresNothingButNonPositiveTook() {
        EffectiveLimits limits = QuotaFixtures.budget(Duration.ofMillis(10));
        quotas.recordEsTime("alice", Duration.ofMillis(10));
        quotas.recordEsTime("bob", Duration.ZERO);
        quotas.recordEsTime("bob", Duration.ofMillis(-5));

        assertThat(quotas.checkRateAndBudget("alice", limits)).isPresent();
        assertThat(quotas.checkRateAndBudget("bob", limits)).isEmpty();
        assertThat(quotas.esTimeRemainingToday("bob", limits)).contains(Duration.ofMillis(10));
        assertThat(quotas.esTimeRemainingToday("bob", QuotaFixtures.rate(1))).isEmpty();
    }

    @Test
    void dailyBudget_inAnotherZone_resetsAtThatZonesMidnight() {
        Quotas berlin = new Quotas(time.clock(), time::nanoTime, time, ZoneId.of("Europe/Berlin"));
        berlin.recordEsTime("alice", Duration.ofMinutes(1));

        Rejection refused = berlin.checkRateAndBudget("alice", QuotaFixtures.budget(Duration.ofSeconds(30)))
                .orElseThrow();

        assertThat(refused.retryAfter()).contains(Duration.ofHours(1)); // 23:00 in Berlin
        assertThat(refused.reason()).contains("resets at midnight Europe/Berlin, in 1 h;");
    }

    @Test
    void dailyBudget_inAnotherZone_startsAfreshAtThatZonesMidnight_notBefore() {
        Quotas berlin = new Quotas(time.clock(), time::nanoTime, time, ZoneId.of("Europe/Berlin"));
        berlin.recordEsTime("alice", Duration.ofMinutes(1));

        time.advance(Duration.ofMinutes(59)); // 23:59 in Berlin
        assertThat(berlin.esTimeUsedToday("alice")).isEqualTo(Duration.ofMinutes(1));
        time.advance(Duration.ofMinutes(1)); // midnight in Berlin, 23:00 UTC

        assertThat(berlin.esTimeUsedToday("alice")).isEqualTo(Duration.ZERO);
        berlin.recordEsTime("alice", Duration.ofSeconds(5));
        assertThat(berlin.esTimeUsedToday("alice")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void budgetRefusal_spendsNoRateToken() {
        EffectiveLimits both = new EffectiveLimits(
                List.of("analyst"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                QuotaFixtures.analyst("requests_per_minute", 1),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                QuotaFixtures.analyst("daily_es_time_budget", Duration.ofSeconds(1)));
        quotas.recordEsTime("alice", Duration.ofSeconds(2));
        assertThat(quotas.checkRateAndBudget("alice", both).orElseThrow().reason())
                .contains("daily_es_time_budget");

        time.advance(Duration.ofHours(2)); // next day: budget back, and the token was never taken

        assertThat(quotas.checkRateAndBudget("alice", both)).isEmpty();
    }

    @Test
    void admit_failsTheFutureWithAPolicyException() {
        EffectiveLimits limits = QuotaFixtures.rate(1);
        assertThat(quotas.admit("alice", limits)).isCompletedWithValue(Permit.UNLIMITED);

        assertThat(quotas.admit("alice", limits))
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(PolicyException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(429);
                    assertThat(e.type()).isEqualTo("sketchgate_quota_exception");
                    assertThat(e.rejection().retryAfterSeconds()).isEqualTo(OptionalLong.of(60));
                });
    }
}
