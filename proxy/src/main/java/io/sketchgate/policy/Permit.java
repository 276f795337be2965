package io.sketchgate.policy;

/**
 * One of a user's {@code max_concurrent} slots, held while a request runs in Elasticsearch. Release it when the
 * response is complete or the request fails, exactly once or more: releasing again does nothing.
 */
@FunctionalInterface
public interface Permit {
    /** For requests without a concurrency limit. */
    Permit UNLIMITED = () -> {};

    void release();
}
