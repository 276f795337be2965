package io.sketchgate.identity;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.sketchgate.http.ProxyException;

/**
 * A request Sketchgate cannot identify: 401 with Elasticsearch's type {@code security_exception}. The response
 * must carry {@link #WWW_AUTHENTICATE} as Elasticsearch's does, so clients know to send credentials.
 *
 * <p>Only identity answers 401; limits never do (Kibana's 401 handler may end the user's session).
 */
public final class IdentityException extends ProxyException {
    private static final long serialVersionUID = 1L;

    /** The value of the {@code WWW-Authenticate} header of the 401 response. */
    public static final String WWW_AUTHENTICATE = "Basic realm=\"sketchgate\", ApiKey";

    IdentityException(String reason) {
        super(HttpResponseStatus.UNAUTHORIZED, "security_exception", reason);
    }

    /** A 401 for a caller an API needs to identify and cannot. */
    public static IdentityException unauthenticated(String reason) {
        return new IdentityException(reason);
    }

    @Override
    public String code() {
        return "unauthenticated";
    }

    @Override
    public java.util.Map<String, String> headers() {
        return java.util.Map.of("WWW-Authenticate", WWW_AUTHENTICATE);
    }

    public String wwwAuthenticate() {
        return WWW_AUTHENTICATE;
    }
}
