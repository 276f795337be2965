package io.sketchgate.transport;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Locale;

/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1): a proxy must not forward them.
 * Everything else, in both directions, passes through unchanged.
 */
final class HopByHopHeaders {
    private static final List<CharSequence> FIXED = List.of(
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION,
            "proxy-connection",
            HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER,
            HttpHeaderNames.UPGRADE);

    private HopByHopHeaders() {}

    /** Removes the fixed hop-by-hop headers and any header the Connection header names. */
    static void strip(HttpHeaders headers) {
        for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : connection.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !name.equals("close") && !name.equals("keep-alive")) {
                    headers.remove(name);
                }
            }
        }
        for (CharSequence name : FIXED) {
            headers.remove(name);
        }
    }
}
