package io.sketchgate.policy;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.sketchgate.http.ProxyException;

/**
 * A {@link Rejection} thrown or used to complete a future exceptionally; the proxy's one error path renders it
 * in Elasticsearch's error shape and adds {@code Retry-After} from {@link Rejection#retryAfterSeconds()}.
 */
public final class PolicyException extends ProxyException {
    private static final long serialVersionUID = 1L;
    private final transient Rejection rejection;

    public PolicyException(Rejection rejection) {
        super(HttpResponseStatus.valueOf(rejection.status()), rejection.type(), rejection.reason());
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }

    @Override
    public java.util.Map<String, String> headers() {
        java.util.OptionalLong seconds = rejection.retryAfterSeconds();
        return seconds.isPresent()
                ? java.util.Map.of("Retry-After", Long.toString(seconds.getAsLong()))
                : java.util.Map.of();
    }

    @Override
    public String code() {
        return rejection.code();
    }
}
