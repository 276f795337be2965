package io.sketchgate.api;

import java.util.concurrent.CompletableFuture;

/**
 * One family of Sketchgate's own endpoints, {@code /_sketchgate/<name>/...}, registered by name with
 * {@link SketchgateApi.Builder#route}. It may complete on any thread; failing with a {@link ProxyException}
 * answers that error in Elasticsearch's shape, any other failure a 500 naming it.
 */
@FunctionalInterface
public interface ApiHandler {
    CompletableFuture<ApiResponse> handle(ApiRequest request);
}
