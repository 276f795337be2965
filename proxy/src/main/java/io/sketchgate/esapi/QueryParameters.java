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
        String query = uri.substring(question + 1);
        int fragment = query.indexOf('#');
        if (fragment >= 0) {
            query = query.substring(0, fragment);
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            params.put(name, value);
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
