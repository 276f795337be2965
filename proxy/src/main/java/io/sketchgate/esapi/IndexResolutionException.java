package io.sketchgate.esapi;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.sketchgate.http.ErrorShaped;
import io.sketchgate.http.ProxyException;

/**
 * Elasticsearch could not tell which indices an expression means. {@link #unavailable()} when it could not be
 * asked at all (connection refused, timeout, 5xx): the proxy answers as for an unreachable upstream (502,
 * {@code sketchgate_upstream_unavailable_exception}), since the search would have failed the same way. Otherwise
 * ES refused the expression (4xx, e.g. bad date math) and the request is rejected with 400: policy fails closed.
 */
public final class IndexResolutionException extends RuntimeException implements ErrorShaped {
    private final boolean unavailable;

    public IndexResolutionException(String message, boolean unavailable, Throwable cause) {
        super(message, cause);
        this.unavailable = unavailable;
    }

    public boolean unavailable() {
        return unavailable;
    }

    public int status() {
        return unavailable ? 502 : 400;
    }

    @Override
    public ProxyException toProxyException() {
        return new ProxyException(HttpResponseStatus.valueOf(status()), type(), getMessage());
    }

    public String type() {
        return unavailable ? "sketchgate_upstream_unavailable_exception" : "sketchgate_index_resolution_exception";
    }
}
