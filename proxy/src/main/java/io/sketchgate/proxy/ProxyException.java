package io.sketchgate.proxy;

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
}
