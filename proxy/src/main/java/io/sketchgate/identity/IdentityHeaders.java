package io.sketchgate.identity;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * The {@code X-Sketchgate-*} request headers of the {@code signed_header} source.
 *
 * <p>Elasticsearch ignores them, but they only mean something to Sketchgate: strip them ({@link #strip}) from
 * requests forwarded upstream, so a later hop (another Sketchgate, a log) never sees headers it did not check.
 */
public final class IdentityHeaders {
    public static final String USER = "X-Sketchgate-User";
    public static final String ROLES = "X-Sketchgate-Roles";
    public static final String EXPIRES = "X-Sketchgate-Expires";
    public static final String SIGNATURE = "X-Sketchgate-Signature";

    /** Every identity header, in the order {@code sign-header} prints them. */
    public static final List<String> ALL = List.of(USER, ROLES, EXPIRES, SIGNATURE);

    private IdentityHeaders() {}

    /** Removes every identity header (any letter case) from {@code headers}. */
    public static void strip(HttpHeaders headers) {
        for (String name : ALL) {
            headers.remove(name);
        }
    }
}
