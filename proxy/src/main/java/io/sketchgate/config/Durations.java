package io.sketchgate.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Duration syntax of the config file: a whole number directly followed by one unit, {@code 500ms},
 * {@code 30s}, {@code 5m}, {@code 2h}, {@code 31d}. Units are lower case ({@code m} is minutes; there are
 * no months). A bare number is rejected rather than guessed as seconds or milliseconds.
 */
public final class Durations {
    static final String UNITS = "units: ms, s, m, h, d";
    private static final Pattern SYNTAX = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern BARE_NUMBER = Pattern.compile("\\d+");

    private Durations() {}

    /** @throws IllegalArgumentException with the message to report */
    public static Duration parse(String text) {
        return parse(text, "s");
    }

    /**
     * @param hintUnit the unit a bare number most likely meant, suggested in the message ({@code d} for a time range)
     * @throws IllegalArgumentException with the message to report
     */
    public static Duration parse(String text, String hintUnit) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            if (BARE_NUMBER.matcher(text).matches()) {
                throw new IllegalArgumentException("needs a unit, like " + text + hintUnit + " (" + UNITS + ")");
            }
            throw new IllegalArgumentException("must be a duration like 5s or 500ms (" + UNITS + ")");
        }
        try {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("is too long a duration");
        }
    }

    /** The shortest spelling {@link #parse} reads back to the same value: 120s prints as 2m. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis % sizes[i] == 0) {
                return millis / sizes[i] + units[i];
            }
        }
        return millis + "ms";
    }
}
