package io.sketchgate.esapi;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * Date math index names, evaluated as Elasticsearch's {@code DateMathExpressionResolver} does:
 * {@code <static{now/d}static>}, {@code <logs-{now/M{yyyy.MM}}>}, {@code <logs-{now/d{yyyy.MM.dd|+09:00}}>}.
 *
 * <p>Inside the angle brackets, text outside braces is literal ({@code \{} and {@code \}} escape a brace);
 * each {@code {math}} or {@code {math{format|zone}}} is replaced by the date {@code math} relative to the
 * injected clock, rounded down in {@code zone} (default UTC), printed with {@code format} (default
 * {@code yyyy.MM.dd}). The anchor must be {@code now} (what index names use); other anchors are rejected,
 * so policy never guesses an index it did not compute.
 */
final class DateMathIndexNames {
    private static final String DEFAULT_FORMAT = "uuuu.MM.dd";

    private DateMathIndexNames() {}

    static boolean isDateMath(String name) {
        return name.length() > 1 && name.charAt(0) == '<' && name.charAt(name.length() - 1) == '>';
    }

    static String evaluate(String expression, Instant now) {
        if (!isDateMath(expression)) {
            return expression;
        }
        String inner = expression.substring(1, expression.length() - 1);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < inner.length()) {
            char c = inner.charAt(i);
            if (c == '\\' && i + 1 < inner.length()) {
                out.append(inner.charAt(i + 1));
                i += 2;
            } else if (c == '{') {
                int end = closingBrace(inner, i, expression);
                out.append(placeholder(inner.substring(i + 1, end), now, expression));
                i = end + 1;
            } else if (c == '}') {
                throw invalid(expression, "unescaped '}' outside a placeholder");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int closingBrace(String inner, int open, String expression) {
        int depth = 0;
        for (int i = open; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                depth++;
                if (depth > 2) {
                    throw invalid(expression, "too many nested '{'");
                }
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw invalid(expression, "missing '}'");
    }

    private static String placeholder(String content, Instant now, String expression) {
        String math = content;
        String format = DEFAULT_FORMAT;
        ZoneId zone = ZoneOffset.UTC;
        int formatStart = content.indexOf('{');
        if (formatStart >= 0) {
            if (!content.endsWith("}")) {
                throw invalid(expression, "text after the date format");
            }
            math = content.substring(0, formatStart);
            String formatAndZone = content.substring(formatStart + 1, content.length() - 1);
            int bar = formatAndZone.indexOf('|');
            String pattern = bar >= 0 ? formatAndZone.substring(0, bar) : formatAndZone;
            if (!pattern.isEmpty()) {
                format = pattern;
            }
            if (bar >= 0) {
                try {
                    zone = ZoneId.of(formatAndZone.substring(bar + 1));
                } catch (DateTimeException e) {
                    throw invalid(expression, "unknown time zone [" + formatAndZone.substring(bar + 1) + "]");
                }
            }
        }
        ZonedDateTime time = apply(math, now.atZone(zone), expression);
        try {
            return DateTimeFormatter.ofPattern(format, Locale.ROOT).format(time);
        } catch (IllegalArgumentException | DateTimeException e) {
            throw invalid(expression, "unsupported date format [" + format + "]");
        }
    }

    private static ZonedDateTime apply(String math, ZonedDateTime now, String expression) {
        if (!math.startsWith("now")) {
            throw invalid(expression, "date math must start with 'now'");
        }
        ZonedDateTime time = now;
        int i = 3;
        while (i < math.length()) {
            char op = math.charAt(i++);
            if (op == '/') {
                if (i >= math.length()) {
                    throw invalid(expression, "missing unit after '/'");
                }
                time = roundDown(time, math.charAt(i++), expression);
            } else if (op == '+' || op == '-') {
                int start = i;
                while (i < math.length() && Character.isDigit(math.charAt(i))) {
                    i++;
                }
                long amount = start == i ? 1 : Long.parseLong(math.substring(start, i));
                if (i >= math.length()) {
                    throw invalid(expression, "missing unit after '" + op + "'");
                }
                ChronoUnit unit = unit(math.charAt(i++), expression);
                time = op == '+' ? time.plus(amount, unit) : time.minus(amount, unit);
            } else {
                throw invalid(expression, "unexpected '" + op + "' in date math");
            }
        }
        return time;
    }

    private static ZonedDateTime roundDown(ZonedDateTime time, char unit, String expression) {
        return switch (unit) {
            case 'y' -> time.with(TemporalAdjusters.firstDayOfYear()).truncatedTo(ChronoUnit.DAYS);
            case 'M' -> time.with(TemporalAdjusters.firstDayOfMonth()).truncatedTo(ChronoUnit.DAYS);
            case 'w' ->
                time.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).truncatedTo(ChronoUnit.DAYS);
            default -> time.truncatedTo(unit(unit, expression));
        };
    }

    private static ChronoUnit unit(char unit, String expression) {
        return switch (unit) {
            case 'y' -> ChronoUnit.YEARS;
            case 'M' -> ChronoUnit.MONTHS;
            case 'w' -> ChronoUnit.WEEKS;
            case 'd' -> ChronoUnit.DAYS;
            case 'h', 'H' -> ChronoUnit.HOURS;
            case 'm' -> ChronoUnit.MINUTES;
            case 's' -> ChronoUnit.SECONDS;
            default -> throw invalid(expression, "unknown date math unit '" + unit + "'");
        };
    }

    private static RequestClassificationException invalid(String expression, String why) {
        return new RequestClassificationException(
                "sketchgate_index_expression_exception", "invalid date math index name [" + expression + "]: " + why);
    }
}
