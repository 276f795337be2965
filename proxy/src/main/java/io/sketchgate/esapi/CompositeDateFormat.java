package io.sketchgate.esapi;

import java.util.List;

/** Formats joined with {@code ||}: the first that matches decides, as in Elasticsearch. */
final class CompositeDateFormat implements DateFormat {
    private final String pattern;
    private final List<DateFormat> formats;

    CompositeDateFormat(String pattern, List<DateFormat> formats) {
        this.pattern = pattern;
        this.formats = List.copyOf(formats);
    }

    @Override
    public String pattern() {
        return pattern;
    }

    @Override
    public ParsedDate parse(String text, boolean roundUp) {
        for (DateFormat format : formats) {
            ParsedDate parsed = format.parse(text, roundUp);
            if (parsed != null) {
                return parsed;
            }
        }
        return null;
    }
}
