package io.sketchgate.esapi;

import static java.time.temporal.ChronoField.DAY_OF_MONTH;
import static java.time.temporal.ChronoField.HOUR_OF_DAY;
import static java.time.temporal.ChronoField.MINUTE_OF_HOUR;
import static java.time.temporal.ChronoField.MONTH_OF_YEAR;
import static java.time.temporal.ChronoField.NANO_OF_SECOND;
import static java.time.temporal.ChronoField.SECOND_OF_MINUTE;
import static java.time.temporal.ChronoField.YEAR;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.format.SignStyle;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * {@code strict_date_optional_time} (also {@code iso8601}) and {@code strict_date_optional_time_nanos}, parsed the
 * way Elasticsearch 8 does: first a fixed-position ISO-8601 reader, then, for what it rejects, a java.time
 * formatter of the same shape.
 *
 * <p>Accepted: {@code yyyy[-MM[-dd[T[HH[:mm[:ss[(.|,)f{1,9}]]]][zone]]]]}, an optional leading {@code -} for the
 * year, and as zone {@code Z}, {@code ±HH}, {@code ±HHmm}, {@code ±HH:mm}, {@code ±HH:mm:ss} or a region id
 * ({@code Europe/Berlin}). A value without zone takes the range's {@code time_zone}, else UTC. Missing fields take
 * their minimum, or with round-up (for {@code lte} and {@code gt}) month and day 1 and the time 23:59:59.999999999;
 * once an hour is present, missing minutes and seconds round up the same way.
 */
final class IsoDateFormat implements DateFormat {
    private static final int ROUND_UP_MONTH = 1;
    private static final int ROUND_UP_DAY = 1;
    private static final int ROUND_UP_HOUR = 23;
    private static final int ROUND_UP_MINUTE = 59;
    private static final int ROUND_UP_SECOND = 59;
    private static final int ROUND_UP_NANO = 999_999_999;
    private static final int[] NANO_SCALE = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private final String pattern;
    /** The nanos variant: a time, once started with T, must have hours, minutes and seconds. */
    private final boolean fullTime;

    private final DateTimeFormatter fallback;
    private final DateTimeFormatter fallbackRoundUp;

    private IsoDateFormat(String pattern, boolean fullTime) {
        this.pattern = pattern;
        this.fullTime = fullTime;
        this.fallback = fallbackFormatter(fullTime);
        this.fallbackRoundUp = roundUp(fallback);
    }

    static IsoDateFormat optionalTime(String pattern) {
        return new IsoDateFormat(pattern, false);
    }

    static IsoDateFormat optionalTimeNanos(String pattern) {
        return new IsoDateFormat(pattern, true);
    }

    @Override
    public String pattern() {
        return pattern;
    }

    @Override
    public ParsedDate parse(String text, boolean roundUp) {
        Fields fields = text.startsWith("-") ? negate(read(text.substring(1), roundUp)) : read(text, roundUp);
        if (fields != null) {
            return fields.toParsedDate();
        }
        TemporalAccessor accessor;
        try {
            accessor = (roundUp ? fallbackRoundUp : fallback).parse(text);
        } catch (DateTimeException e) {
            return null;
        }
        return Accessors.toParsedDate(accessor);
    }

    /** Fields as read; null means "absent" and takes Elasticsearch's default when converted. */
    private record Fields(
            int year,
            Integer month,
            Integer day,
            Integer hour,
            Integer minute,
            Integer second,
            Integer nano,
            ZoneId zone) {

        ParsedDate toParsedDate() {
            LocalDate date;
            if (month == null) {
                date = LocalDate.of(year, 1, 1);
            } else {
                date = LocalDate.of(year, month, day == null ? 1 : day);
            }
            LocalTime time = hour == null
                    ? LocalTime.MIDNIGHT
                    : LocalTime.of(hour, orZero(minute), orZero(second), orZero(nano));
            return ParsedDate.ofLocal(LocalDateTime.of(date, time), zone);
        }

        private static int orZero(Integer value) {
            return value == null ? 0 : value;
        }
    }

    private static Fields negate(Fields f) {
        return f == null ? null : new Fields(-f.year, f.month, f.day, f.hour, f.minute, f.second, f.nano, f.zone);
    }

    private boolean optional(java.time.temporal.ChronoField field) {
        if (field == YEAR) {
            return false;
        }
        return !fullTime || !(field == HOUR_OF_DAY || field == MINUTE_OF_HOUR || field == SECOND_OF_MINUTE);
    }

    /** The fixed-position reader; returns null where the text does not match. */
    private Fields read(String s, boolean roundUp) {
        Integer dMonth = roundUp ? ROUND_UP_MONTH : null;
        Integer dDay = roundUp ? ROUND_UP_DAY : null;
        Integer dHour = roundUp ? ROUND_UP_HOUR : null;
        int zMinute = roundUp ? ROUND_UP_MINUTE : 0;
        int zSecond = roundUp ? ROUND_UP_SECOND : 0;
        int zNano = roundUp ? ROUND_UP_NANO : 0;
        Integer dMinute = roundUp ? ROUND_UP_MINUTE : null;
        Integer dSecond = roundUp ? ROUND_UP_SECOND : null;
        Integer dNano = roundUp ? ROUND_UP_NANO : null;
        int len = s.length();

        Integer year = digits(s, 0, 4);
        if (year == null) {
            return null;
        }
        if (len == 4) {
            return optional(MONTH_OF_YEAR)
                    ? new Fields(year, dMonth, dDay, dHour, dMinute, dSecond, dNano, null)
                    : null;
        }
        if (s.charAt(4) != '-') {
            return null;
        }
        Integer month = digits(s, 5, 7);
        if (month == null || month > 12) {
            return null;
        }
        if (len == 7) {
            return optional(DAY_OF_MONTH) ? new Fields(year, month, dDay, dHour, dMinute, dSecond, dNano, null) : null;
        }
        if (s.charAt(7) != '-') {
            return null;
        }
        Integer day = digits(s, 8, 10);
        if (day == null || day > 31) {
            return null;
        }
        if (len == 10) {
            return fullTime || optional(HOUR_OF_DAY)
                    ? new Fields(year, month, day, dHour, dMinute, dSecond, dNano, null)
                    : null;
        }
        if (s.charAt(10) != 'T') {
            return null;
        }
        if (len == 11) {
            return optional(HOUR_OF_DAY) ? new Fields(year, month, day, dHour, dMinute, dSecond, dNano, null) : null;
        }
        Integer hour = digits(s, 11, 13);
        if (hour == null || hour > 23) {
            return null;
        }
        if (len == 13) {
            return optional(MINUTE_OF_HOUR) ? new Fields(year, month, day, hour, zMinute, zSecond, zNano, null) : null;
        }
        if (isZoneStart(s.charAt(13))) {
            ZoneId zone = zone(s, 13);
            return zone != null && optional(MINUTE_OF_HOUR)
                    ? new Fields(year, month, day, hour, zMinute, zSecond, zNano, zone)
                    : null;
        }
        if (s.charAt(13) != ':') {
            return null;
        }
        Integer minute = digits(s, 14, 16);
        if (minute == null || minute > 59) {
            return null;
        }
        if (len == 16) {
            return optional(SECOND_OF_MINUTE) ? new Fields(year, month, day, hour, minute, zSecond, zNano, null) : null;
        }
        if (isZoneStart(s.charAt(16))) {
            ZoneId zone = zone(s, 16);
            return zone != null && optional(SECOND_OF_MINUTE)
                    ? new Fields(year, month, day, hour, minute, zSecond, zNano, zone)
                    : null;
        }
        if (s.charAt(16) != ':') {
            return null;
        }
        Integer second = digits(s, 17, 19);
        if (second == null || second > 59) {
            return null;
        }
        if (len == 19) {
            return optional(NANO_OF_SECOND) ? new Fields(year, month, day, hour, minute, second, zNano, null) : null;
        }
        if (isZoneStart(s.charAt(19))) {
            ZoneId zone = zone(s, 19);
            return zone != null ? new Fields(year, month, day, hour, minute, second, zNano, zone) : null;
        }
        if (s.charAt(19) != '.' && s.charAt(19) != ',') {
            return null;
        }
        int nano = 0;
        int pos = 20;
        while (pos < len && pos < 29 && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            nano = nano * 10 + (s.charAt(pos) - '0');
            pos++;
        }
        if (pos == 20) {
            return null;
        }
        nano *= NANO_SCALE[29 - pos];
        if (pos == len) {
            return new Fields(year, month, day, hour, minute, second, nano, null);
        }
        if (isZoneStart(s.charAt(pos))) {
            ZoneId zone = zone(s, pos);
            return zone != null ? new Fields(year, month, day, hour, minute, second, nano, zone) : null;
        }
        return null;
    }

    private static boolean isZoneStart(char c) {
        return c == '+' || c == '-' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static ZoneId zone(String s, int pos) {
        int len = s.length();
        char first = s.charAt(pos);
        if (first == 'Z' && len == pos + 1) {
            return ZoneOffset.UTC;
        }
        if (first != '+' && first != '-') {
            try {
                return ZoneId.of(s.substring(pos));
            } catch (DateTimeException e) {
                return null;
            }
        }
        boolean positive = first == '+';
        pos++;
        Integer hours = digits(s, pos, pos + 2);
        pos += 2;
        if (hours == null || hours > 23) {
            return null;
        }
        if (len == pos) {
            return offset(hours, 0, 0, positive);
        }
        boolean colon = s.charAt(pos) == ':';
        if (colon) {
            pos++;
        }
        Integer minutes = digits(s, pos, pos + 2);
        pos += 2;
        if (minutes == null || minutes > 59) {
            return null;
        }
        if (len == pos) {
            return offset(hours, minutes, 0, positive);
        }
        if ((s.charAt(pos) == ':') != colon) {
            return null;
        }
        if (colon) {
            pos++;
        }
        Integer seconds = digits(s, pos, pos + 2);
        pos += 2;
        if (seconds == null || seconds > 59 || len != pos) {
            return null;
        }
        return offset(hours, minutes, seconds, positive);
    }

    private static ZoneOffset offset(int hours, int minutes, int seconds, boolean positive) {
        int total = hours * 3600 + minutes * 60 + seconds;
        try {
            return ZoneOffset.ofTotalSeconds(positive ? total : -total);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Integer digits(String s, int from, int to) {
        if (s.length() < to) {
            return null;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * Elasticsearch's java.time shape of {@code strict_date_optional_time}, tried when the reader above fails; with
     * {@code fullTime}, of {@code strict_date_optional_time_nanos}, where a time has all of hours, minutes and
     * seconds.
     */
    private static DateTimeFormatter fallbackFormatter(boolean fullTime) {
        DateTimeFormatterBuilder builder = new DateTimeFormatterBuilder()
                .append(yearMonthDay())
                .optionalStart()
                .appendLiteral('T');
        optionalUnless(fullTime, builder).appendValue(HOUR_OF_DAY, 2, 2, SignStyle.NOT_NEGATIVE);
        optionalUnless(fullTime, builder).appendLiteral(':').appendValue(MINUTE_OF_HOUR, 2, 2, SignStyle.NOT_NEGATIVE);
        optionalUnless(fullTime, builder)
                .appendLiteral(':')
                .appendValue(SECOND_OF_MINUTE, 2, 2, SignStyle.NOT_NEGATIVE);
        builder.optionalStart()
                .appendFraction(NANO_OF_SECOND, 1, 9, true)
                .optionalEnd()
                .optionalStart()
                .appendLiteral(',')
                .appendFraction(NANO_OF_SECOND, 1, 9, false)
                .optionalEnd();
        if (!fullTime) {
            builder.optionalEnd().optionalEnd(); // seconds, minutes
        }
        builder.optionalStart()
                .appendZoneOrOffsetId()
                .optionalEnd()
                .optionalStart()
                .appendOffset("+HHmm", "Z")
                .optionalEnd();
        if (!fullTime) {
            builder.optionalEnd(); // hours
        }
        return builder.optionalEnd() // T
                .toFormatter(Locale.ROOT)
                .withResolverStyle(ResolverStyle.STRICT);
    }

    private static DateTimeFormatterBuilder optionalUnless(boolean required, DateTimeFormatterBuilder builder) {
        return required ? builder : builder.optionalStart();
    }

    private static DateTimeFormatter yearMonthDay() {
        return new DateTimeFormatterBuilder()
                .appendValue(YEAR, 4, 4, SignStyle.EXCEEDS_PAD)
                .optionalStart()
                .appendLiteral('-')
                .appendValue(MONTH_OF_YEAR, 2, 2, SignStyle.NOT_NEGATIVE)
                .optionalStart()
                .appendLiteral('-')
                .appendValue(DAY_OF_MONTH, 2, 2, SignStyle.NOT_NEGATIVE)
                .optionalEnd()
                .optionalEnd()
                .toFormatter(Locale.ROOT)
                .withResolverStyle(ResolverStyle.STRICT);
    }

    /**
     * Elasticsearch's round-up parser: the same formatter with defaults for absent fields. The builder's default
     * (smart) resolver applies, not the strict one of the wrapped formatter — as in Elasticsearch.
     */
    static DateTimeFormatter roundUp(DateTimeFormatter parser) {
        DateTimeFormatterBuilder builder = new DateTimeFormatterBuilder().append(parser);
        if (parser.toString().contains("DayOfYear")) {
            builder.parseDefaulting(java.time.temporal.ChronoField.DAY_OF_YEAR, 1);
        } else {
            builder.parseDefaulting(MONTH_OF_YEAR, ROUND_UP_MONTH);
            builder.parseDefaulting(DAY_OF_MONTH, ROUND_UP_DAY);
        }
        builder.parseDefaulting(HOUR_OF_DAY, ROUND_UP_HOUR);
        builder.parseDefaulting(MINUTE_OF_HOUR, ROUND_UP_MINUTE);
        builder.parseDefaulting(SECOND_OF_MINUTE, ROUND_UP_SECOND);
        builder.parseDefaulting(NANO_OF_SECOND, ROUND_UP_NANO);
        return builder.toFormatter(Locale.ROOT);
    }
}
