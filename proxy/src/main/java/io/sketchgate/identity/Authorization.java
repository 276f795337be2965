package io.sketchgate.identity;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Authorization} header of a request: {@code scheme credentials}. Never logged or printed;
 * {@link #toString()} shows the scheme only.
 */
record Authorization(String header, String scheme) {
    /** The request's {@code Authorization} header; empty when it has none. */
    static Optional<Authorization> of(HttpHeaders headers) {
        return Optional.ofNullable(headers.get(HttpHeaderNames.AUTHORIZATION)).map(Authorization::of);
    }

    static Authorization of(String header) {
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        return new Authorization(header, scheme.toLowerCase(Locale.ROOT));
    }

    boolean isBasic() {
        return scheme.equals("basic");
    }

    /** The decoded {@code user:password} of a Basic header, or empty when it is not one or is malformed. */
    Optional<BasicCredentials> basic() {
        if (!isBasic()) {
            return Optional.empty();
        }
        String encoded = header.substring(Math.min(header.length(), 6)).strip();
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    /** For log lines and error messages: who claims to be asking, never the secret part. */
    String describe() {
        return basic().map(b -> "user [" + LogText.safe(b.user()) + "]").orElse("the " + schemeName() + " credentials");
    }

    private String schemeName() {
        return switch (scheme) {
            case "basic" -> "Basic";
            case "bearer" -> "Bearer";
            case "apikey" -> "ApiKey";
            default -> "Authorization";
        };
    }

    @Override
    public String toString() {
        return "Authorization[" + scheme + " ******]";
    }

    record BasicCredentials(String user, String password) {
        @Override
        public String toString() {
            return "BasicCredentials[" + user + ", ******]";
        }
    }
}
