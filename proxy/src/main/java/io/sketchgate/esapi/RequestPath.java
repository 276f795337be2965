package io.sketchgate.esapi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The path of a request as Elasticsearch's router sees it: query string dropped, percent-encoding decoded
 * per segment, empty segments (double or trailing slashes) dropped. Decisions (reserved paths, which
 * endpoints are inspected) are made on this form, so another spelling of a path cannot get around them.
 */
public final class RequestPath {
    private final List<String> segments;

    private RequestPath(List<String> segments) {
        this.segments = List.copyOf(segments);
    }

    public static RequestPath parse(String uri) {
        int query = uri.indexOf('?');
        String path = query >= 0 ? uri.substring(0, query) : uri;
        int fragment = path.indexOf('#');
        if (fragment >= 0) {
            path = path.substring(0, fragment);
        }
        List<String> segments = new ArrayList<>();
        for (int start = 0; start < path.length(); ) { // segments read in place: no split array
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            if (end > start) {
                segments.add(decode(path.substring(start, end)));
            }
            start = end + 1;
        }
        return new RequestPath(segments);
    }

    public List<String> segments() {
        return segments;
    }

    /** True when the first segment is {@code name}, compared case-insensitively. */
    public boolean startsWith(String name) {
        return !segments.isEmpty() && segments.get(0).toLowerCase(Locale.ROOT).equals(name);
    }

    /** True when any segment, lower-cased, equals one of {@code names}. */
    public boolean containsSegment(Set<String> names) {
        for (String segment : segments) {
            if (names.contains(segment.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "/" + String.join("/", segments);
    }

    /** Lenient percent-decoding: a malformed escape stays as written (ES rejects such a path itself). */
    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length());
        int i = 0;
        while (i < segment.length()) {
            char c = segment.charAt(i);
            if (c == '%'
                    && i + 2 < segment.length()
                    && hex(segment.charAt(i + 1)) >= 0
                    && hex(segment.charAt(i + 2)) >= 0) {
                out.write(hex(segment.charAt(i + 1)) * 16 + hex(segment.charAt(i + 2)));
                i += 3;
            } else {
                int codePoint = segment.codePointAt(i);
                out.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
