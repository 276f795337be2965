package io.sketchgate.transport;

/**
 * Told about every finished exchange of one listener (metrics, usage), on the connection's event loop: it must
 * be cheap and never block. One observer per listener, created at start-up, so it can hold that listener's
 * meters instead of looking them up per request.
 */
@FunctionalInterface
public interface RequestObserver {
    RequestObserver NONE = request -> {};

    void finished(FinishedRequest request);

    /** Both observers, in order. */
    static RequestObserver both(RequestObserver first, RequestObserver second) {
        return request -> {
            first.finished(request);
            second.finished(request);
        };
    }
}
