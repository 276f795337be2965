package io.sketchgate.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sketchgate.esapi.RequestPath;
import io.sketchgate.http.ErrorType;
import io.sketchgate.http.Identity;
import io.sketchgate.http.ProxyException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Sketchgate's own endpoints under {@code /_sketchgate/}: answered here, never forwarded. Routes by the first
 * segment after the prefix (case-insensitively, like the reserved prefix itself) to an {@link ApiHandler};
 * {@code health} (liveness plus readiness: at least one Elasticsearch node up, and every registered
 * {@link ReadinessCheck}) is always there and needs no identity, so load balancers can probe it.
 */
public final class SketchgateApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, ApiHandler> routes;
    private final Function<HttpHeaders, CompletableFuture<Identity>> authenticator;

    private SketchgateApi(
            Map<String, ApiHandler> routes, Function<HttpHeaders, CompletableFuture<Identity>> authenticator) {
        this.routes = Map.copyOf(routes);
        this.authenticator = authenticator;
    }

    public static Builder builder(UpstreamHealth elasticsearch) {
        return new Builder(elasticsearch);
    }

    /** Answers one request; the future fails with a {@link ProxyException} for an error to send as such. */
    public CompletableFuture<ApiResponse> handle(
            String method, String uri, RequestPath path, HttpHeaders headers, byte[] body, String remoteAddress) {
        List<String> segments = path.segments().subList(1, path.segments().size());
        ApiHandler handler =
                segments.isEmpty() ? null : routes.get(segments.get(0).toLowerCase(Locale.ROOT));
        if (handler == null) {
            return CompletableFuture.failedFuture(
                    ErrorType.ENDPOINT_NOT_FOUND.exception("Sketchgate has no endpoint [" + method + " " + path
                            + "]. Paths under /_sketchgate/ are Sketchgate's own API and are never forwarded to Elasticsearch;"
                            + " endpoints: "
                            + routes.keySet().stream()
                                    .sorted()
                                    .map(r -> "/_sketchgate/" + r)
                                    .toList() + "."));
        }
        ApiRequest request = new ApiRequest(
                method, segments, parameters(uri), headers, body, remoteAddress, () -> authenticator.apply(headers));
        try {
            return handler.handle(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Map<String, List<String>> parameters(String uri) {
        return new QueryStringDecoder(uri, StandardCharsets.UTF_8).parameters();
    }

    /** An error for a method the endpoint does not have; {@code allowed} lists those it has. */
    public static ProxyException methodNotAllowed(ApiRequest request, String allowed) {
        return ErrorType.METHOD_NOT_ALLOWED.exception("Method [" + request.method() + "] is not allowed on ["
                + request.path() + "]; allowed: " + allowed + ".");
    }

    /** Collects the routes before the listeners start; the API is immutable afterwards. */
    public static final class Builder {
        private final Map<String, ApiHandler> routes = new LinkedHashMap<>();
        private Function<HttpHeaders, CompletableFuture<Identity>> authenticator =
                headers -> CompletableFuture.completedFuture(Identity.UNIDENTIFIED);
        private final Map<String, ReadinessCheck> readiness = new LinkedHashMap<>();

        private final UpstreamHealth elasticsearch;

        private Builder(UpstreamHealth elasticsearch) {
            this.elasticsearch = elasticsearch;
            routes.put("health", request -> {
                throw new IllegalStateException("replaced in build()");
            });
        }

        /**
         * Adds a part of readiness, shown under {@code checks.<name>} of the health answer; the proxy is ready
         * only when every check is (e.g. {@code realtime_tailer} once it has caught up).
         */
        public Builder readiness(String name, ReadinessCheck check) {
            if (name.equals("elasticsearch") || readiness.putIfAbsent(name, check) != null) {
                throw new IllegalArgumentException("readiness check " + name + " is taken");
            }
            return this;
        }

        /** Serves {@code /_sketchgate/<name>/...}; {@code name} is lower case. */
        public Builder route(String name, ApiHandler handler) {
            if (!name.equals(name.toLowerCase(Locale.ROOT)) || routes.putIfAbsent(name, handler) != null) {
                throw new IllegalArgumentException("route " + name + " is taken or not lower case");
            }
            return this;
        }

        /** Who calls the API: the policy's identity sources. */
        public Builder authenticator(Function<HttpHeaders, CompletableFuture<Identity>> authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        public SketchgateApi build() {
            Map<String, ReadinessCheck> checks = Collections.unmodifiableMap(new LinkedHashMap<>(readiness));
            routes.put("health", request -> health(request, elasticsearch, checks));
            return new SketchgateApi(routes, authenticator);
        }
    }

    private static CompletableFuture<ApiResponse> health(
            ApiRequest request, UpstreamHealth elasticsearch, Map<String, ReadinessCheck> readiness) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            throw methodNotAllowed(request, "GET, HEAD");
        }
        ObjectNode body = JSON.createObjectNode();
        boolean upstreamUp = elasticsearch.anyUp();
        boolean ready = upstreamUp;
        ObjectNode checks = JSON.createObjectNode();
        ObjectNode upstreamCheck = checks.putObject("elasticsearch");
        upstreamCheck.put("ready", upstreamUp);
        if (!upstreamUp) {
            upstreamCheck.put("detail", "no Elasticsearch node answers health checks");
        }
        for (Map.Entry<String, ReadinessCheck> entry : readiness.entrySet()) {
            ReadinessCheck.Readiness state = entry.getValue().check();
            ready &= state.ready();
            ObjectNode check = checks.putObject(entry.getKey());
            check.put("ready", state.ready());
            if (!state.detail().isEmpty()) {
                check.put("detail", state.detail());
            }
        }
        body.put("status", ready ? "ready" : "not_ready");
        body.put("live", true);
        body.set("checks", checks);
        ArrayNode nodes = body.putArray("elasticsearch");
        for (UpstreamHealth.Node node : elasticsearch.nodes()) {
            ObjectNode entry = nodes.addObject();
            entry.put("node", node.toString());
            entry.put("up", node.isUp());
            if (!node.isUp()) {
                entry.put("last_error", node.lastError());
            }
        }
        return CompletableFuture.completedFuture(ApiResponse.json(ready ? 200 : 503, body));
    }
}
