package io.sketchgate.esapi;

import static java.time.temporal.ChronoField.DAY_OF_MONTH;
import static java.time.temporal.ChronoField.DAY_OF_YEAR;
import static java.time.temporal.ChronoField.EPOCH_DAY;
import static java.time.temporal.ChronoField.INSTANT_SECONDS;
import static java.time.temporal.ChronoField.MONTH_OF_YEAR;
import static java.time.temporal.ChronoField.NANO_OF_SECOND;
import static java.time.temporal.ChronoField.YEAR;
import static java.time.temporal.ChronoField.YEAR_OF_ERA;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;

/**
 * Turns what a java.time parser produced into a {@link ParsedDate} with Elasticsearch's defaults for missing fields
 * (its {@code DateFormatters.from}): no time means start of day, no day means the 1st, no month means January,
 * a time without any date means 1970-01-01, and {@code yyyy} (year-of-era, left unresolved by the strict resolver)
 * counts as the year.
 */
final class Accessors {
    private static final LocalDate EPOCH_DATE = LocalDate.of(1970, 1, 1);

    private Accessors() {}

    static ParsedDate toParsedDate(TemporalAccessor accessor) {
        // Elasticsearch prefers an explicit offset over a region when the text carries both
        ZoneOffset offset = accessor.query(TemporalQueries.offset());
        ZoneId zone = offset != null ? offset : accessor.query(TemporalQueries.zoneId());

        LocalDate date = localDate(accessor);
        LocalTime time = accessor.query(TemporalQueries.localTime());
        if (date != null && time != null) {
            return ParsedDate.ofLocal(LocalDateTime.of(date, time), zone);
        }
        if (accessor.isSupported(INSTANT_SECONDS) && accessor.isSupported(NANO_OF_SECOND)) {
            return ParsedDate.ofEpoch(Instant.from(accessor));
        }
        if (date != null) {
            return ParsedDate.ofLocal(date.atStartOfDay(), zone);
        }
        if (time != null) {
            return ParsedDate.ofLocal(LocalDateTime.of(dateWithoutDay(accessor), time), zone);
        }
        if (accessor.isSupported(YEAR) || accessor.isSupported(YEAR_OF_ERA)) {
            LocalDate first = accessor.isSupported(MONTH_OF_YEAR)
                    ? LocalDate.of(year(accessor), accessor.get(MONTH_OF_YEAR), 1)
                    : Year.of(year(accessor)).atDay(1);
            return ParsedDate.ofLocal(first.atStartOfDay(), zone);
        }
        if (accessor.isSupported(MONTH_OF_YEAR)) {
            return ParsedDate.ofLocal(dateWithoutDay(accessor).atStartOfDay(), zone);
        }
        throw new DateTimeException("cannot be converted to a date-time: " + accessor);
    }

    private static LocalDate localDate(TemporalAccessor accessor) {
        if (accessor.isSupported(EPOCH_DAY)) {
            return LocalDate.ofEpochDay(accessor.getLong(EPOCH_DAY));
        }
        if (accessor.isSupported(YEAR) || accessor.isSupported(YEAR_OF_ERA)) {
            if (accessor.isSupported(MONTH_OF_YEAR) && accessor.isSupported(DAY_OF_MONTH)) {
                return LocalDate.of(year(accessor), accessor.get(MONTH_OF_YEAR), accessor.get(DAY_OF_MONTH));
            }
            if (accessor.isSupported(DAY_OF_YEAR)) {
                return LocalDate.ofYearDay(year(accessor), accessor.get(DAY_OF_YEAR));
            }
        }
        return null;
    }

    private static LocalDate dateWithoutDay(TemporalAccessor accessor) {
        if (accessor.isSupported(MONTH_OF_YEAR)) {
            int day = accessor.isSupported(DAY_OF_MONTH) ? accessor.get(DAY_OF_MONTH) : 1;
            return LocalDate.of(year(accessor), accessor.get(MONTH_OF_YEAR), day);
        }
        return EPOCH_DATE;
    }

    private static int year(TemporalAccessor accessor) {
        if (accessor.isSupported(YEAR)) {
            return accessor.get(YEAR);
        }
        if (accessor.isSupported(YEAR_OF_ERA)) {
            return accessor.get(YEAR_OF_ERA);
        }
        return 1970;
    }
}
