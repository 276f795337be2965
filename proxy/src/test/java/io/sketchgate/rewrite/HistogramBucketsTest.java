package io.sketchgate.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HistogramBucketsTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long NOV_1 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @Test
    void emptyDaysBetweenKeysWithEventsAndOutToTheExtendedBoundsAreListed_inKeyOrder() {
        AggNode.DateHistogram daily =
                daily(Optional.of(new long[] {NOV_1 + 3_600_000, NOV_1 + 5 * DAY + 7}), Optional.empty(), 0);

        List<Long> keys = HistogramBuckets.listedKeys(daily, Map.of(NOV_1 + 3 * DAY, 5L, NOV_1 + DAY, 2L));

        assertThat(keys)
                .containsExactly(
                        NOV_1, NOV_1 + DAY, NOV_1 + 2 * DAY, NOV_1 + 3 * DAY, NOV_1 + 4 * DAY, NOV_1 + 5 * DAY);
    }

    @Test
    void aKeyOffTheRoundingsGridIsStillListed_inItsPlace() {
        AggNode.DateHistogram daily = daily(Optional.empty(), Optional.empty(), 0);

        List<Long> keys =
                HistogramBuckets.listedKeys(daily, Map.of(NOV_1, 1L, NOV_1 + DAY + 60_000, 1L, NOV_1 + 2 * DAY, 1L));

        assertThat(keys).containsExactly(NOV_1, NOV_1 + DAY, NOV_1 + DAY + 60_000, NOV_1 + 2 * DAY);
    }

    @Test
    void hardBoundsDropTheKeysOutsideThem() {
        AggNode.DateHistogram daily = daily(
                Optional.of(new long[] {NOV_1, NOV_1 + 6 * DAY}),
                Optional.of(new long[] {NOV_1 + DAY, NOV_1 + 3 * DAY}),
                0);

        assertThat(HistogramBuckets.listedKeys(daily, Map.of(NOV_1 + 2 * DAY, 1L)))
                .containsExactly(NOV_1 + DAY, NOV_1 + 2 * DAY);
    }

    @Test
    void withAMinimumDocCount_onlyTheKeysWithThatManyEvents() {
        AggNode.DateHistogram daily = daily(Optional.of(new long[] {NOV_1, NOV_1 + 6 * DAY}), Optional.empty(), 2);

        assertThat(HistogramBuckets.listedKeys(daily, Map.of(NOV_1 + 4 * DAY, 2L, NOV_1 + DAY, 1L, NOV_1, 3L)))
                .containsExactly(NOV_1, NOV_1 + 4 * DAY);
    }

    @Test
    void moreBucketsThanTheLimitAreNotRewritten() {
        AggNode.DateHistogram daily =
                daily(Optional.of(new long[] {NOV_1, NOV_1 + HistogramBuckets.MAX_BUCKETS * DAY}), Optional.empty(), 0);

        assertThatThrownBy(() -> HistogramBuckets.listedKeys(daily, Map.of()))
                .isInstanceOf(NotRewritable.class)
                .hasMessageContaining("more than 20000 date_histogram buckets");
        AggNode.DateHistogram atTheLimit = daily(
                Optional.of(new long[] {NOV_1, NOV_1 + (HistogramBuckets.MAX_BUCKETS - 1) * DAY}), Optional.empty(), 0);
        assertThat(HistogramBuckets.listedKeys(atTheLimit, Map.of())).hasSize(HistogramBuckets.MAX_BUCKETS);
    }

    private static AggNode.DateHistogram daily(
            Optional<long[]> extendedBounds, Optional<long[]> hardBounds, long minDocCount) {
        return new AggNode.DateHistogram(
                HistogramRounding.calendar(HistogramRounding.CalendarUnit.DAY, UTC, 0),
                KeyFormat.DEFAULT,
                minDocCount,
                extendedBounds,
                hardBounds,
                List.of());
    }
}
