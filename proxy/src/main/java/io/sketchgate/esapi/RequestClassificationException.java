package io.sketchgate.esapi;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.sketchgate.http.ErrorShaped;
import io.sketchgate.http.ProxyException;

/**
 * A request whose targets cannot be worked out (bad date math, malformed {@code _msearch}). Elasticsearch
 * would reject it too; policy answers 400 with {@link #type()} rather than forwarding what it cannot read.
 */
public class RequestClassificationException extends RuntimeException implements ErrorShaped {
    private final String type;

    public RequestClassificationException(String type, String reason) {
        super(reason);
        this.type = type;
    }

    public String type() {
        return type;
    }

    @Override
    public ProxyException toProxyException() {
        return new ProxyException(HttpResponseStatus.valueOf(status()), type, getMessage());
    }

    public int status() {
        return 400;
    }
}
