package io.sketchgate.esapi;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * Evaluates one bound of a date range exactly as Elasticsearch's {@code JavaDateMathParser} and
 * {@code DateFieldMapper} do, to epoch milliseconds.
 *
 * <p>Syntax: {@code now} or {@code <date>||} followed by operations {@code +N<unit>}, {@code -N<unit>} and
 * {@code /<unit>} (rounding), units {@code y M w d h H m s}. A bare date has no math. Rules that matter for
 * a security boundary, all as in Elasticsearch:
 * <ul>
 *   <li>{@code roundUp} (set for {@code lte} and {@code gt}) makes each rounding go to the last millisecond of the
 *       unit ({@code now/d} = 23:59:59.999 today) and fills fields missing from a bare date with their maximum;
 *       the anchor before {@code ||} is always parsed without round-up;</li>
 *   <li>rounding happens in {@code time_zone} (UTC when absent); {@code now} itself is an instant;</li>
 *   <li>a date without a zone is read in {@code time_zone}; a zone in the string wins;</li>
 *   <li>the result is truncated to milliseconds towards the past.</li>
 * </ul>
 * Epoch values with a {@code time_zone}: Elasticsearch up to 8.19.x/9.x (before elastic/elasticsearch#148663)
 * shifted them by the zone's offset, later versions do not. {@code epochIgnoresTimeZone} picks one; the caller
 * evaluates both and keeps the wider bound.
 */
public final class DateMath {

    private DateMath() {}

    /**
     * One bound as Elasticsearch reads it for a {@code date} field mapped without a format
     * ({@code strict_date_optional_time||epoch_millis}), for Sketchgate's own APIs that take dates the way a
     * range query does (the UV API's {@code from}/{@code to}).
     *
     * @throws IllegalArgumentException with Elasticsearch's message when Elasticsearch would reject the value
     */
    public static Instant evaluate(String text, Instant now, boolean roundUp, ZoneId timeZone) {
        return Instant.ofEpochMilli(
                evaluate(text, now.toEpochMilli(), roundUp, timeZone, DateFormats.defaultMappingFormat(), true));
    }

    /**
     * @throws IllegalArgumentException with Elasticsearch's message when Elasticsearch would reject the value
     */
    public static long evaluate(
            String text,
            long nowMillis,
            boolean roundUp,
            ZoneId timeZone,
            DateFormat format,
            boolean epochIgnoresTimeZone) {
        Instant time;
        String math;
        if (text.startsWith("now")) {
            time = Instant.ofEpochMilli(nowMillis);
            math = text.substring("now".length());
        } else {
            int anchorEnd = text.indexOf("||");
            if (anchorEnd == -1) {
                return toMillis(parseDate(text, timeZone, roundUp, format, epochIgnoresTimeZone), text);
            }
            time = parseDate(text.substring(0, anchorEnd), timeZone, false, format, epochIgnoresTimeZone);
            math = text.substring(anchorEnd + 2);
        }
        return toMillis(applyMath(math, time, roundUp, timeZone), text);
    }

    private static Instant parseDate(
            String value, ZoneId timeZone, boolean roundUp, DateFormat format, boolean epochIgnoresTimeZone) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("cannot parse empty datetime");
        }
        try {
            ParsedDate parsed = format.parse(value, roundUp);
            if (parsed == null) {
                throw new IllegalArgumentException(
                        "failed to parse date field [" + value + "] with format [" + format.pattern() + "]");
            }
            ZonedDateTime dateTime = parsed.isEpoch()
                    ? parsed.epoch().atZone(parsed.zone() != null ? parsed.zone() : ZoneOffset.UTC)
                    : ZonedDateTime.of(parsed.local(), parsed.zone() != null ? parsed.zone() : ZoneOffset.UTC);
            if (timeZone != null && !(parsed.isEpoch() && epochIgnoresTimeZone)) {
                // Elasticsearch re-labels the wall-clock time with the zone, keeping the local fields
                dateTime = dateTime.withZoneSameLocal(parsed.zone() != null ? parsed.zone() : timeZone);
            }
            return dateTime.toInstant();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    "failed to parse date field [" + value + "] with format [" + format.pattern() + "]: ["
                            + e.getMessage() + "]",
                    e);
        }
    }

    private static Instant applyMath(String math, Instant time, boolean roundUp, ZoneId timeZone) {
        ZonedDateTime dateTime = ZonedDateTime.ofInstant(time, timeZone == null ? ZoneOffset.UTC : timeZone);
        int i = 0;
        try {
            while (i < math.length()) {
                char operator = math.charAt(i++);
                boolean round;
                int sign;
                if (operator == '/') {
                    round = true;
                    sign = 1;
                } else if (operator == '+' || operator == '-') {
                    round = false;
                    sign = operator == '+' ? 1 : -1;
                } else {
                    throw new IllegalArgumentException("operator not supported for date math [" + math + "]");
                }
                if (i >= math.length()) {
                    throw new IllegalArgumentException("truncated date math [" + math + "]");
                }
                int amount = 1;
                if (isAsciiOrUnicodeDigit(math.charAt(i))) {
                    int start = i;
                    while (i < math.length() && isAsciiOrUnicodeDigit(math.charAt(i))) {
                        i++;
                    }
                    if (i >= math.length()) {
                        throw new IllegalArgumentException("truncated date math [" + math + "]");
                    }
                    amount = Integer.parseInt(math.substring(start, i));
                }
                if (round && amount != 1) {
                    throw new IllegalArgumentException(
                            "rounding `/` can only be used on single unit types [" + math + "]");
                }
                char unit = math.charAt(i++);
                dateTime = round ? round(dateTime, unit, roundUp, math) : add(dateTime, unit, sign * amount, math);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failed to parse date math [" + math + "]: " + e.getMessage(), e);
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException("date math [" + math + "] is out of range: " + e.getMessage(), e);
        }
        return dateTime.toInstant();
    }

    /** Elasticsearch uses {@link Character#isDigit}, which also accepts non-ASCII digits; so do we. */
    private static boolean isAsciiOrUnicodeDigit(char c) {
        return Character.isDigit(c);
    }

    private static ZonedDateTime add(ZonedDateTime dateTime, char unit, int amount, String math) {
        return switch (unit) {
            case 'y' -> dateTime.plusYears(amount);
            case 'M' -> dateTime.plusMonths(amount);
            case 'w' -> dateTime.plusWeeks(amount);
            case 'd' -> dateTime.plusDays(amount);
            case 'h', 'H' -> dateTime.plusHours(amount);
            case 'm' -> dateTime.plusMinutes(amount);
            case 's' -> dateTime.plusSeconds(amount);
            default -> throw unknownUnit(unit, math);
        };
    }

    private static ZonedDateTime round(ZonedDateTime dateTime, char unit, boolean roundUp, String math) {
        ZonedDateTime start = switch (unit) {
            case 'y' -> dateTime.withDayOfYear(1).with(LocalTime.MIN);
            case 'M' -> dateTime.withDayOfMonth(1).with(LocalTime.MIN);
            case 'w' ->
                dateTime.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                        .with(LocalTime.MIN);
            case 'd' -> dateTime.with(LocalTime.MIN);
            case 'h', 'H' -> dateTime.withMinute(0).withSecond(0).withNano(0);
            case 'm' -> dateTime.withSecond(0).withNano(0);
            case 's' -> dateTime.withNano(0);
            default -> throw unknownUnit(unit, math);
        };
        if (!roundUp) {
            return start;
        }
        ZonedDateTime next = switch (unit) {
            case 'y' -> start.plusYears(1);
            case 'M' -> start.plusMonths(1);
            case 'w' -> start.plusWeeks(1);
            case 'd' -> start.plusDays(1);
            case 'h', 'H' -> start.plusHours(1);
            case 'm' -> start.plusMinutes(1);
            default -> start.plusSeconds(1);
        };
        // the largest value still inside the unit
        return next.minus(1, ChronoUnit.MILLIS);
    }

    private static IllegalArgumentException unknownUnit(char unit, String math) {
        return new IllegalArgumentException("unit [" + unit + "] not supported for date math [" + math + "]");
    }

    private static long toMillis(Instant instant, String text) {
        try {
            // Instant.toEpochMilli truncates towards the past, like Elasticsearch's millisecond resolution
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("date [" + text + "] is out of the millisecond range", e);
        }
    }
}
