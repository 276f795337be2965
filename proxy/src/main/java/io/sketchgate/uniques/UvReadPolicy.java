package io.sketchgate.uniques;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.http.Identity;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Whether a caller of the UV API may read a definition's source over a range: the policy's roles and limits
 * apply as if the caller had searched the source ({@code policy.SourceReads}). Fails with a
 * {@link io.sketchgate.http.ProxyException} to send as the answer.
 */
@FunctionalInterface
public interface UvReadPolicy {
    /** No policy configured: everyone may read. */
    UvReadPolicy ANYONE = (caller, definition, from, to) -> CompletableFuture.completedFuture(null);

    CompletableFuture<Void> check(Identity caller, UniqueCountDefinition definition, Instant from, Instant to);
}
