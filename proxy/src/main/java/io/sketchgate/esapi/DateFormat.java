package io.sketchgate.esapi;

/** One Elasticsearch date format (a named format, a java.time pattern, or several joined by {@code ||}). */
public interface DateFormat {

    /**
     * Parses {@code text}. With {@code roundUp}, fields missing from the text take their largest value, except
     * month and day, which Elasticsearch fills with 1 (so {@code lte: "2026-09"} ends on 2026-09-01T23:59:59.999).
     *
     * @return null when the text does not match this format, so that the next format of a composite is tried
     * @throws java.time.DateTimeException when the text matches but names an impossible date (2026-02-30): like
     *         Elasticsearch, no further format is tried then
     */
    ParsedDate parse(String text, boolean roundUp);

    /** The format as the user wrote it, for error messages. */
    String pattern();
}
