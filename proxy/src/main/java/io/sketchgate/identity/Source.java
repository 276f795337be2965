package io.sketchgate.identity;

import com.github.benmanes.caffeine.cache.Cache;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** One identity source; synchronous sources implement {@link #attempt}, asynchronous ones {@link #attemptAsync}. */
interface Source {
    default Attempt attempt(HttpHeaders headers) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is asynchronous");
    }

    /**
     * Never completes exceptionally except for {@link io.sketchgate.http.ProxyException} (the source could not
     * decide, e.g. Elasticsearch is unreachable); the resolver then fails the request with it.
     */
    default CompletableFuture<Attempt> attemptAsync(HttpHeaders headers) {
        return CompletableFuture.completedFuture(attempt(headers));
    }

    /** The source's cache of outcomes, for hit-ratio metrics; empty when it has none. */
    default Optional<Cache<?, ?>> cache() {
        return Optional.empty();
    }
}
