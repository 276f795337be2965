package io.sketchgate.transport;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of logs. Credentials travel in headers, which are never logged; but a URL may carry a token
 * (Kibana's login redirects, a client that puts an API key in the query string), so the values of query
 * parameters with secret-sounding names are replaced before a path is written anywhere.
 */
final class SecretRedaction {
    static final String REDACTED = "[redacted]";
    private static final Set<String> SECRET_WORDS = Set.of(
            "password",
            "passwd",
            "secret",
            "token",
            "api_key",
            "apikey",
            "signature",
            "authorization",
            "auth",
            "credential",
            "session",
            "sid",
            "code",
            "ticket");
    private static final Pattern PARAMETER = Pattern.compile("([?&;])([^=&;#]+)=([^&;#]*)");

    private SecretRedaction() {}

    /** {@code uri} with the values of secret-looking query parameters replaced by {@value #REDACTED}. */
    static String uri(String uri) {
        int query = uri.indexOf('?');
        if (query < 0) {
            return uri;
        }
        Matcher matcher = PARAMETER.matcher(uri);
        matcher.region(query, uri.length());
        StringBuilder out = new StringBuilder(uri.length());
        boolean changed = false;
        while (matcher.find()) {
            if (isSecret(matcher.group(2))) {
                matcher.appendReplacement(
                        out, Matcher.quoteReplacement(matcher.group(1) + matcher.group(2) + "=" + REDACTED));
                changed = true;
            }
        }
        if (!changed) {
            return uri;
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static boolean isSecret(String rawName) {
        String name = java.net.URLDecoder.decode(rawName.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8)
                .toLowerCase(Locale.ROOT)
                .replace('-', '_');
        for (String word : SECRET_WORDS) {
            if (name.equals(word) || name.endsWith("_" + word) || name.startsWith(word + "_")) {
                return true;
            }
        }
        return false;
    }
}
