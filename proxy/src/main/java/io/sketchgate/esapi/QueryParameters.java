package io.sketchgate.esapi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The query string as Elasticsearch reads it ({@code RestUtils.decodeQueryString}): split on {@code &},
 * name and value on the first {@code =}, {@code +} is a space, percent-escapes decoded as UTF-8, a name
 * without {@code =} has the value {@code ""}, and when a name repeats the <em>last</em> value wins
 * (checked against 8.19: {@code ?size=0&size=2} returns two hits).
 */
final class QueryParameters {
    private QueryParameters() {}

    static Map<String, String> parse(String uri) {
        int question = uri.indexOf('?');
        Map<String, String> params = new HashMap<>();
        if (question < 0) {
            return params;
        }
        int fragment = uri.indexOf('#', question + 1);
        int end = fragment >= 0 ? fragment : uri.length();
        // pairs are read in place (no split array, no substring per pair): this runs for every request
        for (int start = question + 1; start <= end; ) {
            int amp = uri.indexOf('&', start);
            int pairEnd = amp < 0 || amp > end ? end : amp;
            if (pairEnd > start) {
                int equals = uri.indexOf('=', start);
                boolean hasValue = equals >= 0 && equals < pairEnd;
                String name = decode(uri.substring(start, hasValue ? equals : pairEnd));
                String value = hasValue ? decode(uri.substring(equals + 1, pairEnd)) : "";
                params.put(name, value);
            }
            start = pairEnd + 1;
        }
        return params;
    }

    /** Lenient: a malformed escape stays as written (Elasticsearch answers 400 for it). */
    static String decode(String component) {
        if (component.indexOf('%') < 0 && component.indexOf('+') < 0) {
            return component;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(component.length());
        int i = 0;
        while (i < component.length()) {
            char c = component.charAt(i);
            if (c == '+') {
                out.write(' ');
                i++;
            } else if (c == '%'
                    && i + 2 < component.length()
                    && Character.digit(component.charAt(i + 1), 16) >= 0
                    && Character.digit(component.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(component.charAt(i + 1), 16) * 16
                        + Character.digit(component.charAt(i + 2), 16));
                i += 3;
            } else {
                int codePoint = component.codePointAt(i);
                out.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
