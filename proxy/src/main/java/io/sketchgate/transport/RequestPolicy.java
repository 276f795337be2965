package io.sketchgate.transport;

import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.http.Identity;
import io.sketchgate.http.Verdict;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Decides whether a request may go upstream, and in what form. Called for every request on the
 * Elasticsearch-facing listener: with the decoded body for query endpoints (which are buffered), without one for
 * everything else (which streams once allowed). The future may complete on any thread.
 */
public interface RequestPolicy {
    /** Lets everything through unchanged, as a plain reverse proxy. */
    RequestPolicy ALLOW_ALL = request -> CompletableFuture.completedFuture(Verdict.allow("-", "passthrough"));

    CompletableFuture<Verdict> evaluate(PolicyRequest request);

    /**
     * Who sends these headers, for Sketchgate's own API; fails with a 401 {@link ProxyException} when identity
     * is configured and they carry no valid credentials. Without identity nobody is known.
     */
    default CompletableFuture<Identity> authenticate(HttpHeaders headers) {
        return CompletableFuture.completedFuture(Identity.UNIDENTIFIED);
    }

    /** What the policy sees of a request. {@code body} is present for buffered query endpoints, decoded. */
    record PolicyRequest(String method, String uri, HttpHeaders headers, Optional<byte[]> body) {}
}
