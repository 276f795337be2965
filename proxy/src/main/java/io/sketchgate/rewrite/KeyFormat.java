package io.sketchgate.rewrite;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code key_as_string} of a date histogram bucket: the requested {@code format} (or the date field's default,
 * {@code strict_date_optional_time}) printed in the histogram's time zone. Only formats whose printing is known
 * exactly are accepted; with any other the search is not rewritten.
 */
final class KeyFormat {
    /** java.time pattern letters whose output needs no locale data beyond ROOT (no month or day names). */
    private static final Pattern SAFE_PATTERN = Pattern.compile("([yuMdHhmsSXxZ'T :./_,-]|'[^']*')+");

    static final KeyFormat DEFAULT = new KeyFormat(
            "strict_date_optional_time", DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT));

    private final String name;
    private final DateTimeFormatter formatter; // null: epoch_millis / epoch_second

    private KeyFormat(String name, DateTimeFormatter formatter) {
        this.name = name;
        this.formatter = formatter;
    }

    /** Empty when the format is not one Sketchgate prints exactly as Elasticsearch does. */
    static Optional<KeyFormat> of(String format) {
        String first = format.split("\\|\\|", 2)[0]; // ES prints with the first of "a||b"
        switch (first) {
            case "strict_date_optional_time", "date_optional_time", "strict_date_time", "date_time":
                return Optional.of(new KeyFormat(first, DEFAULT.formatter));
            case "epoch_millis", "epoch_second":
                return Optional.of(new KeyFormat(first, null));
            case "strict_date", "date":
                return Optional.of(new KeyFormat(first, DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT)));
            default:
                if (!SAFE_PATTERN.matcher(first).matches()) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(new KeyFormat(first, DateTimeFormatter.ofPattern(first, Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
        }
    }

    String print(long epochMillis, ZoneId zone) {
        if (formatter == null) {
            return name.equals("epoch_second")
                    ? Long.toString(Math.floorDiv(epochMillis, 1000))
                    : Long.toString(epochMillis);
        }
        try {
            return formatter.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
        } catch (DateTimeException e) {
            throw new IllegalStateException("format " + name + " cannot print " + epochMillis, e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
