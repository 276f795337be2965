package io.sketchgate.uniques;

import io.sketchgate.config.Durations;
import io.sketchgate.config.UniqueCountDefinition;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;

/**
 * The bucket sizes stored per definition: the granule (the definition's granularity, fixed length, stored
 * with zone UTC) and the calendar levels day, ISO week (from Monday) and month, one set per configured zone,
 * each starting at local midnight in that zone (so a day around a DST change lasts 23 or 25 hours). Below the
 * granule, the fine tier ({@link io.sketchgate.config.UniqueCountDefinition#FINE_TIER}, UTC, root subset only) serves
 * the edges of unaligned ranges.
 */
public enum Level {
    FINE,
    GRANULE,
    DAY,
    WEEK,
    MONTH;

    /** The calendar levels, from the smallest: a bucket of each is closed before the next larger one. */
    public static final List<Level> CALENDAR = List.of(DAY, WEEK, MONTH);

    /** The fine tier's label, made once: a question asks for a label per stored piece it covers. */
    private static final String FINE_LABEL = Durations.format(UniqueCountDefinition.FINE_TIER);

    /** The calendar levels' labels, made once. */
    private final String calendarLabel = name().toLowerCase(Locale.ROOT);

    /** The {@code level} value stored: the granularity ({@code "1h"}) for granules, else {@code day/week/month}. */
    public String label(String granularity) {
        return switch (this) {
            case FINE -> FINE_LABEL;
            case GRANULE -> granularity;
            default -> calendarLabel;
        };
    }

    /** Start of the calendar bucket of this level in {@code zone} that contains {@code instant}. */
    Instant start(Instant instant, ZoneId zone) {
        return firstDay(instant.atZone(zone).toLocalDate()).atStartOfDay(zone).toInstant();
    }

    /** Whether a bucket of this calendar level starts at the start of local day {@code date}. */
    boolean startsOn(LocalDate date) {
        return firstDay(date).equals(date);
    }

    private LocalDate firstDay(LocalDate date) {
        return switch (this) {
            case DAY -> date;
            case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> date.withDayOfMonth(1);
            case FINE, GRANULE -> throw new IllegalStateException("granules are not calendar buckets");
        };
    }

    /** End (exclusive) of the calendar bucket of this level in {@code zone} that starts at {@code start}. */
    Instant end(Instant start, ZoneId zone) {
        LocalDate date = start.atZone(zone).toLocalDate();
        LocalDate next = switch (this) {
            case DAY -> date.plusDays(1);
            case WEEK -> date.plusWeeks(1);
            case MONTH -> date.plusMonths(1);
            case FINE, GRANULE -> throw new IllegalStateException("granules are not calendar buckets");
        };
        return next.atStartOfDay(zone).toInstant();
    }

    static Instant granuleStart(Instant instant, Duration granularity) {
        long g = granularity.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli(), g) * g);
    }
}
