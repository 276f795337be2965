package io.sketchgate.api;

import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.http.Identity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A request to Sketchgate's own API, fully read and decoded.
 *
 * @param method     upper-case HTTP method
 * @param segments   the path after {@code /_sketchgate}, decoded as {@link RequestPath} does (so {@code
 *                   /_sketchgate/uv/weblogs_uv} gives {@code [uv, weblogs_uv]})
 * @param parameters the query string, decoded; a repeated name keeps every value in order
 * @param headers    the request headers
 * @param body       the body, inflated if it was compressed; empty when there was none
 * @param remoteAddress the client's address, for audit entries
 */
public record ApiRequest(
        String method,
        List<String> segments,
        Map<String, List<String>> parameters,
        HttpHeaders headers,
        byte[] body,
        String remoteAddress,
        Supplier<CompletableFuture<Identity>> callerLookup) {

    public ApiRequest {
        segments = List.copyOf(segments);
        parameters = Map.copyOf(parameters);
    }

    /**
     * Who is calling, by the configured identity sources. Fails with a 401 {@link ProxyException} when identity
     * is configured and the request carries no valid credentials (and no anonymous role applies).
     */
    public CompletableFuture<Identity> caller() {
        return callerLookup.get();
    }

    /** The last value of a query parameter. */
    public Optional<String> parameter(String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    public boolean hasBody() {
        return body.length > 0;
    }

    /** The path as it was asked for, for error messages: {@code /_sketchgate/uv/x}. */
    public String path() {
        return "/_sketchgate" + (segments.isEmpty() ? "" : "/" + String.join("/", segments));
    }
}
