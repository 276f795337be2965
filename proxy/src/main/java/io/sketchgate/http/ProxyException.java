package io.sketchgate.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;

/**
 * A request Sketchgate answers itself with an error. {@code type} and {@code reason} end up in the
 * Elasticsearch error shape, and {@code reason} is what Kibana shows the user, so it says what to do.
 */
public class ProxyException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient HttpResponseStatus status;
    private final String type;

    public ProxyException(HttpResponseStatus status, String type, String reason) {
        super(reason);
        this.status = Objects.requireNonNull(status, "status");
        this.type = Objects.requireNonNull(type, "type");
    }

    public HttpResponseStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String reason() {
        return getMessage();
    }

    /** Headers the error response carries besides the JSON ones (e.g. {@code WWW-Authenticate} on a 401). */
    public java.util.Map<String, String> responseHeaders() {
        return java.util.Map.of();
    }

    /**
     * What refused the request, as metrics and usage count it: a short name from a small fixed set (see
     * {@link #codeOf}); subclasses that know more (which quota) say so.
     */
    public String code() {
        return codeOf(type);
    }

    /** {@code sketchgate_time_range_exception} → {@code time_range}; {@code parsing_exception} → {@code parsing}. */
    public static String codeOf(String type) {
        String code = type.startsWith("sketchgate_") ? type.substring("sketchgate_".length()) : type;
        return code.endsWith("_exception") ? code.substring(0, code.length() - "_exception".length()) : code;
    }
}
