package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeSpanTest {
    private static final Instant NOW = Instant.parse("2026-09-15T00:00:00Z");
    private static final Instant A = Instant.parse("2026-09-01T00:00:00Z");
    private static final Instant B = Instant.parse("2026-09-08T00:00:00Z");

    @Test
    void length_ofAClosedSpan_isTheDistanceBetweenItsBounds() {
        assertThat(TimeSpan.between(A, B).length(NOW)).contains(Duration.ofDays(7));
    }

    @Test
    void length_withoutUpperBound_isMeasuredToNow() {
        assertThat(TimeSpan.atOrAfter(A).length(NOW)).contains(Duration.ofDays(14));
    }

    @Test
    void length_withoutUpperBoundStartingInTheFuture_isZero() {
        assertThat(TimeSpan.atOrAfter(NOW.plusSeconds(60)).length(NOW)).contains(Duration.ZERO);
    }

    @Test
    void length_withoutLowerBound_isUnbounded() {
        assertThat(TimeSpan.atOrBefore(B).length(NOW)).isEmpty();
        assertThat(TimeSpan.unbounded().length(NOW)).isEmpty();
    }

    @Test
    void length_ofTheEmptySpan_isZero() {
        assertThat(TimeSpan.empty().length(NOW)).contains(Duration.ZERO);
    }

    @Test
    void latest_ofALongerSpan_keepsItsMostRecentPart() {
        assertThat(TimeSpan.between(A, B).latest(Duration.ofDays(2), NOW))
                .isEqualTo(TimeSpan.between(B.minus(Duration.ofDays(2)), B));
    }

    @Test
    void latest_ofAShorterSpan_isTheSpanItself() {
        assertThat(TimeSpan.between(A, B).latest(Duration.ofDays(30), NOW)).isEqualTo(TimeSpan.between(A, B));
    }

    @Test
    void latest_ofAnOpenEndedSpan_endsNow() {
        assertThat(TimeSpan.unbounded().latest(Duration.ofDays(1), NOW))
                .isEqualTo(TimeSpan.between(NOW.minus(Duration.ofDays(1)), NOW));
    }

    @Test
    void intersect_ofDisjointSpans_isEmpty() {
        assertThat(TimeSpan.atOrBefore(A).intersect(TimeSpan.atOrAfter(B)).isEmpty())
                .isTrue();
    }

    @Test
    void hull_ofTwoSpans_coversTheGapBetweenThem() {
        assertThat(TimeSpan.between(A, A).hull(TimeSpan.between(B, B))).isEqualTo(TimeSpan.between(A, B));
        assertThat(TimeSpan.empty().hull(TimeSpan.between(A, B))).isEqualTo(TimeSpan.between(A, B));
    }

    @Test
    void from_ofTheEmptySpan_isAnError() {
        assertThatThrownBy(() -> TimeSpan.empty().from()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void requiredSpan_mustAgreeWithItsSpanAboutTheFilter() {
        assertThatThrownBy(() -> new RequiredSpan(TimeSpan.unbounded(), true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
