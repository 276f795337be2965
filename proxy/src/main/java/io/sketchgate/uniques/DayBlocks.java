package io.sketchgate.uniques;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Runs of four whole stored days — local days 0–3, 4–7 and so on counted from 1970-01-01 in their zone — whose union a
 * daily question's totals take as one cached block ({@link GranuleBlocks#union}) instead of four day sketches.
 *
 * <p>A daily question's totals are the union of its days per split value. Each whole day's sketch of a split value
 * is an exact set or sparse registers on a small data set (a hash or an entry per value), so a twelve-day question
 * split by country folded some 180 day sketches value by value. A block's union of more values than the exact limit
 * is a register array, folded in one pass; blocks are aligned, so distinct questions over overlapping ranges share
 * them. The union over blocks equals the union over their days bit for bit, so answers are unchanged.
 */
final class DayBlocks {
    /** Days per block: a twelve-day range holds two blocks, at most three loose days at each end. */
    static final int DAYS = 4;

    private DayBlocks() {}

    /**
     * The end (exclusive) of the block of slices starting at {@code at}: {@code at + DAYS} when those slices are each
     * one whole stored day, consecutive, in one zone, the first on a block boundary; else {@code at}.
     *
     * @param sliceCovers each slice's cover, in time order
     */
    static int blockEnd(List<List<SliceCover.Piece>> sliceCovers, int at) {
        if (at + DAYS > sliceCovers.size()) {
            return at;
        }
        SliceCover.Stored first = wholeDay(sliceCovers.get(at));
        if (first == null
                || Math.floorMod(
                                LocalDate.ofInstant(first.start(), first.zone()).toEpochDay(), DAYS)
                        != 0) {
            return at;
        }
        Instant end = first.end();
        for (int k = 1; k < DAYS; k++) {
            SliceCover.Stored next = wholeDay(sliceCovers.get(at + k));
            if (next == null
                    || !next.zone().equals(first.zone())
                    || !next.start().equals(end)) {
                return at;
            }
            end = next.end();
        }
        return at + DAYS;
    }

    /** The cover's one piece when it is a whole stored day, else null. */
    private static SliceCover.Stored wholeDay(List<SliceCover.Piece> cover) {
        return cover.size() == 1 && cover.get(0) instanceof SliceCover.Stored day && day.level() == Level.DAY
                ? day
                : null;
    }
}
