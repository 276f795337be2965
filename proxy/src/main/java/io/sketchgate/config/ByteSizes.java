package io.sketchgate.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Size syntax of the config file: a whole number directly followed by {@code b}, {@code kb}, {@code mb} or
 * {@code gb}, in any case. Units are 1024-based (10mb = 10,485,760 bytes), as Elasticsearch's
 * {@code http.max_content_length} is. A bare number is rejected: bytes or megabytes is too easy to get wrong.
 */
public final class ByteSizes {
    static final String UNITS = "units: b, kb, mb, gb";
    private static final Pattern SYNTAX = Pattern.compile("(\\d+)(b|kb|mb|gb)", Pattern.CASE_INSENSITIVE);
    private static final Pattern BARE_NUMBER = Pattern.compile("\\d+");
    private static final long KB = 1024;

    private ByteSizes() {}

    /** @throws IllegalArgumentException with the message to report */
    static long parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            if (BARE_NUMBER.matcher(text).matches()) {
                throw new IllegalArgumentException("needs a unit, like 10mb or " + text + "b (" + UNITS + ")");
            }
            throw new IllegalArgumentException("must be a size like 10mb (" + UNITS + ")");
        }
        try {
            long amount = Long.parseLong(m.group(1));
            long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "b" -> 1;
                case "kb" -> KB;
                case "mb" -> KB * KB;
                default -> KB * KB * KB;
            };
            return Math.multiplyExact(amount, unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("is too large a size");
        }
    }

    /** The shortest spelling {@link #parse} reads back to the same value: 16384 prints as 16kb. */
    public static String format(long bytes) {
        String[] units = {"gb", "mb", "kb"};
        long[] sizes = {KB * KB * KB, KB * KB, KB};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % sizes[i] == 0) {
                return bytes / sizes[i] + units[i];
            }
        }
        return bytes + "b";
    }
}
