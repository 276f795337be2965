package io.sketchgate.policy;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.sketchgate.http.ErrorShaped;
import io.sketchgate.http.ProxyException;

/**
 * A search body that Elasticsearch would reject too (an unparseable date in a range on the time field, a malformed
 * range, a query nested deeper than {@value QuerySpanWalker#MAX_DEPTH} levels), or one that cannot be clamped.
 * The policy answers it with {@link #status()} and {@link #type()} in Elasticsearch's error shape; the message names
 * the JSON path and the offending value.
 */
public final class TimeSpanException extends IllegalArgumentException implements ErrorShaped {
    private static final long serialVersionUID = 1L;

    /** Elasticsearch's own error type for the same problem, so clients see what they would see without the proxy. */
    public enum Type {
        PARSE_EXCEPTION("parse_exception"),
        PARSING_EXCEPTION("parsing_exception"),
        ILLEGAL_ARGUMENT_EXCEPTION("illegal_argument_exception");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    private final Type type;

    TimeSpanException(Type type, String message) {
        super(message);
        this.type = type;
    }

    TimeSpanException(Type type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    /** Always 400: every case is a request Elasticsearch would also refuse, or one the client must change. */
    @Override
    public ProxyException toProxyException() {
        return new ProxyException(HttpResponseStatus.valueOf(status()), type.wireName(), getMessage());
    }

    public int status() {
        return 400;
    }

    public Type type() {
        return type;
    }
}
