package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which runs of a daily question's slices are blocks of whole days. */
class DayBlocksTest {
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    /** Local day 20,096 since 1970-01-01: a block boundary. */
    private static final LocalDate BOUNDARY = LocalDate.parse("2025-01-08");

    @Test
    void fourConsecutiveWholeDays_fromABlockBoundary_areABlock_inTheirOwnZone() {
        List<List<SliceCover.Piece>> seoul = days(SEOUL, BOUNDARY.minusDays(2), 10); // 01-06 to 01-15 in Seoul

        assertThat(DayBlocks.blockEnd(seoul, 0)).as("01-06 is no boundary").isZero();
        assertThat(DayBlocks.blockEnd(seoul, 2)).as("01-08 to 01-11").isEqualTo(6);
        assertThat(DayBlocks.blockEnd(seoul, 6)).as("01-12 to 01-15").isEqualTo(10);
        assertThat(DayBlocks.blockEnd(seoul, 7)).as("three days left").isEqualTo(7);
    }

    @Test
    void aGap_anotherZone_anotherLevel_orASliceOfMorePieces_endsNoBlock() {
        List<List<SliceCover.Piece>> gap = new ArrayList<>(days(UTC, BOUNDARY, 4));
        gap.set(2, day(UTC, BOUNDARY.plusDays(3)));
        List<List<SliceCover.Piece>> zones = new ArrayList<>(days(UTC, BOUNDARY, 4));
        zones.set(3, day(LONDON, BOUNDARY.plusDays(3))); // the same instants in January
        List<List<SliceCover.Piece>> week = new ArrayList<>(days(UTC, BOUNDARY, 4));
        week.set(1, List.of(stored(Level.WEEK, UTC, BOUNDARY.plusDays(1), BOUNDARY.plusDays(2))));
        List<List<SliceCover.Piece>> twoPieces = new ArrayList<>(days(UTC, BOUNDARY, 4));
        twoPieces.set(
                3,
                List.of(
                        stored(Level.GRANULE, UTC, BOUNDARY.plusDays(3), BOUNDARY.plusDays(3)),
                        stored(Level.DAY, UTC, BOUNDARY.plusDays(3), BOUNDARY.plusDays(4))));

        assertThat(DayBlocks.blockEnd(days(UTC, BOUNDARY, 4), 0)).isEqualTo(4);
        assertThat(DayBlocks.blockEnd(gap, 0)).isZero();
        assertThat(DayBlocks.blockEnd(zones, 0)).isZero();
        assertThat(DayBlocks.blockEnd(week, 0)).isZero();
        assertThat(DayBlocks.blockEnd(twoPieces, 0)).isZero();
    }

    private static List<List<SliceCover.Piece>> days(ZoneId zone, LocalDate first, int count) {
        List<List<SliceCover.Piece>> covers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            covers.add(day(zone, first.plusDays(i)));
        }
        return covers;
    }

    private static List<SliceCover.Piece> day(ZoneId zone, LocalDate date) {
        return List.of(stored(Level.DAY, zone, date, date.plusDays(1)));
    }

    private static SliceCover.Stored stored(Level level, ZoneId zone, LocalDate from, LocalDate to) {
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.atStartOfDay(zone).toInstant();
        return new SliceCover.Stored(level, zone, start, end.equals(start) ? end.plusSeconds(3600) : end);
    }
}
