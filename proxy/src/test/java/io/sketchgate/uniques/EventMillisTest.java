package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventMillisTest {
    private static final long SPAN = 300_000;

    @Test
    void countsTheEventsOfAnyRange_asASortedListWould() {
        Random random = new Random(7);
        long[] events = new long[3_000];
        for (int i = 0; i < events.length; i++) {
            events[i] = random.nextInt((int) SPAN);
        }
        Arrays.sort(events);
        EventMillis.Builder builder = EventMillis.builder(SPAN);
        for (int i = 0; i < events.length; ) {
            int same = 1;
            while (i + same < events.length && events[i + same] == events[i]) {
                same++;
            }
            builder.add(events[i], same);
            i += same;
        }
        EventMillis millis =
                EventMillis.decode(builder.build().toBase64(), events.length, SPAN); // as a document stores it

        assertThat(millis.isPresent()).isTrue();
        for (int q = 0; q < 2_000; q++) {
            long a = random.nextInt((int) SPAN + 1);
            long b = random.nextInt((int) SPAN + 1);
            long from = Math.min(a, b);
            long to = Math.max(a, b);
            long expected =
                    Arrays.stream(events).filter(e -> e >= from && e < to).count();
            assertThat(millis.count(from, to)).as("[%s, %s)", from, to).isEqualTo(expected);
        }
        assertThat(millis.count(0, SPAN)).isEqualTo(events.length);
        assertThat(millis.memoryBytes())
                .as("about two bytes an event at a hundred milliseconds apart")
                .isLessThan(events.length * 2 + 64);
    }

    @Test
    void eventsInOneMillisecond_areCountedEachTime() {
        EventMillis millis = EventMillis.builder(SPAN)
                .add(0, 3)
                .add(59_999, 2)
                .add(60_000, 1)
                .build();

        assertThat(millis.events()).isEqualTo(6);
        assertThat(millis.count(0, 1)).isEqualTo(3);
        assertThat(millis.count(1, 60_000)).isEqualTo(2);
        assertThat(millis.count(59_999, 60_001)).isEqualTo(3);
        assertThat(millis.count(60_001, SPAN)).isZero();
    }

    @Test
    void aStoredListThatDisagreesWithItsDocument_isNotUsed() {
        String stored = EventMillis.builder(SPAN).add(10, 1).add(20, 1).build().toBase64();

        assertThat(EventMillis.decode(stored, 2, SPAN).isPresent()).isTrue();
        assertThat(EventMillis.decode(stored, 3, SPAN).isPresent())
                .as("fewer events than the document's page views")
                .isFalse();
        assertThat(EventMillis.decode(stored, 2, 20).isPresent())
                .as("an event outside the granule")
                .isFalse();
        assertThat(EventMillis.decode(Base64.getEncoder().encodeToString(new byte[] {(byte) 0x85}), 1, SPAN)
                        .isPresent())
                .as("a varint cut short")
                .isFalse();
        assertThat(EventMillis.decode("not base64!", 1, SPAN).isPresent()).isFalse();
        assertThat(EventMillis.decode("", 0, SPAN).isPresent()).isFalse();
    }

    @Test
    void eventsOutOfOrder_orOutsideTheGranule_areRefusedWhileBuilding() {
        EventMillis.Builder builder = EventMillis.builder(SPAN).add(100, 1);

        assertThatThrownBy(() -> builder.add(99, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.add(SPAN, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventMillis.NONE.count(0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
