package io.sketchgate.esapi;

import java.time.DateTimeException;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Optional;

/**
 * A custom java.time pattern such as {@code yyyy-MM-dd HH:mm:ss}, built as Elasticsearch builds it (root locale,
 * strict resolver; the round-up variant defaults missing fields and resolves smartly).
 *
 * <p>Only numeric fields are understood: years ({@code y u}), numeric months ({@code M MM}), days ({@code d D}),
 * hours ({@code H}), minutes, seconds, fractions ({@code S}) and offsets ({@code X x Z}). Week-based fields, text
 * (month or day names, AM/PM, eras, zone names) and other letters depend on locale data Elasticsearch ships itself;
 * patterns using them count as not understood, so a range using them is unbounded.
 */
final class PatternDateFormat implements DateFormat {
    private static final String UNDERSTOOD_LETTERS = "yuMdDHmsSXxZ";

    private final String pattern;
    private final DateTimeFormatter parser;
    private final DateTimeFormatter roundUpParser;

    private PatternDateFormat(String pattern, DateTimeFormatter parser) {
        this.pattern = pattern;
        this.parser = parser;
        this.roundUpParser = IsoDateFormat.roundUp(parser);
    }

    /**
     * @return empty when the pattern is valid but uses letters this class does not understand
     * @throws IllegalArgumentException when java.time (and so Elasticsearch) rejects the pattern
     */
    static Optional<DateFormat> compile(String pattern) {
        DateTimeFormatter parser;
        try {
            parser = new DateTimeFormatterBuilder()
                    .appendPattern(pattern)
                    .toFormatter(Locale.ROOT)
                    .withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("Invalid format: [" + pattern + "]: " + e.getMessage(), e);
        }
        if (!onlyUnderstoodLetters(pattern)) {
            return Optional.empty();
        }
        return Optional.of(new PatternDateFormat(pattern, parser));
    }

    private static boolean onlyUnderstoodLetters(String pattern) {
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
                continue;
            }
            if (quoted || !Character.isLetter(c)) {
                continue;
            }
            if (UNDERSTOOD_LETTERS.indexOf(c) < 0) {
                return false;
            }
            if (c == 'M' && i + 2 < pattern.length() && pattern.charAt(i + 1) == 'M' && pattern.charAt(i + 2) == 'M') {
                return false; // MMM and longer are month names
            }
        }
        return true;
    }

    @Override
    public String pattern() {
        return pattern;
    }

    @Override
    public ParsedDate parse(String text, boolean roundUp) {
        TemporalAccessor accessor;
        try {
            accessor = (roundUp ? roundUpParser : parser).parse(text);
        } catch (DateTimeException e) {
            return null;
        }
        return Accessors.toParsedDate(accessor);
    }
}
