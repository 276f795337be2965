package io.sketchgate.identity;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.caches.Caches;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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

    /**
     * A cache of outcomes by credential for a source to keep: bounded, kept as long as {@code ttl} says for each
     * outcome (a success longer than a failure), with the statistics {@link #cache} reports.
     */
    static <V> AsyncCache<String, V> outcomeCache(long maxEntries, Ticker ticker, Function<V, Duration> ttl) {
        return Caches.newBuilder()
                .maximumSize(maxEntries)
                .ticker(ticker)
                .recordStats()
                .expireAfter(Expiry.<String, V>creating((key, outcome) -> ttl.apply(outcome)))
                .buildAsync();
    }

    /** The source's cache of outcomes, for hit-ratio metrics; empty when it has none. */
    default Optional<Cache<?, ?>> cache() {
        return Optional.empty();
    }
}
