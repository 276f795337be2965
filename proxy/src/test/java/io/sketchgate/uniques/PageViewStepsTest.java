package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PageViewStepsTest {

    @Test
    void everyRangeSums_asTheNumbersGiven_smallZeroAndHuge() {
        SplittableRandom random = new SplittableRandom(3);
        long[] steps = new long[60];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextLong(128);
                case 2 -> random.nextLong(1L << 40);
                default -> Long.MAX_VALUE / 64;
            };
        }
        PageViewSteps compact = PageViewSteps.of(steps);

        assertThat(compact.length()).isEqualTo(60);
        for (int from = 0; from <= 60; from++) {
            for (int to = from; to <= 60; to++) {
                long expected = 0;
                for (int i = from; i < to; i++) {
                    expected += steps[i];
                }
                assertThat(compact.sum(from, to)).as("[%d, %d)", from, to).isEqualTo(expected);
            }
        }
    }

    @Test
    void anHourOfMostlyEmptyMinutes_takesAboutAByteAMinute() {
        long[] steps = new long[60];
        steps[7] = 3;
        steps[42] = 1;

        assertThat(PageViewSteps.of(steps).memoryBytes()).isLessThanOrEqualTo(16 + 60);
    }

    @Test
    void none_holdsNoStep_andARangeOutsideTheStepsIsRefused() {
        assertThat(PageViewSteps.of(new long[0])).isSameAs(PageViewSteps.NONE);
        assertThat(PageViewSteps.NONE.length()).isZero();
        PageViewSteps five = PageViewSteps.of(new long[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> five.sum(0, 6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> five.sum(3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> PageViewSteps.of(new long[] {1, -1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }
}
