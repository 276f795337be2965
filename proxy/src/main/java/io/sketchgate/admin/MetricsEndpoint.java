package io.sketchgate.admin;

import io.sketchgate.api.ApiHandler;
import io.sketchgate.api.ApiRequest;
import io.sketchgate.api.ApiResponse;
import io.sketchgate.api.SketchgateApi;
import io.sketchgate.config.MetricsConfig;
import io.sketchgate.telemetry.SketchgateMetrics;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /_sketchgate/metrics}: every meter in the Prometheus text format. Admins only, except clients whose
 * address is listed in {@code metrics.unauthenticated_scrape_from} (Prometheus servers), which need no
 * credentials at all; the address is the TCP peer's, never a header.
 */
public final class MetricsEndpoint implements ApiHandler {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final SketchgateMetrics metrics;
    private final MetricsConfig config;

    public MetricsEndpoint(SketchgateMetrics metrics, MetricsConfig config) {
        this.metrics = metrics;
        this.config = config;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(ApiRequest request) {
        if (!request.method().equals("GET")) {
            throw SketchgateApi.methodNotAllowed(request, "GET");
        }
        if (config.allowsUnauthenticated(request.remoteAddress())) {
            return CompletableFuture.completedFuture(scrape());
        }
        return request.caller().thenApply(caller -> {
            if (!caller.isAdmin()) {
                throw AdminAccess.forbidden(
                        caller,
                        "read the metrics",
                        ", or the scraper's address listed in metrics.unauthenticated_scrape_from");
            }
            return scrape();
        });
    }

    private ApiResponse scrape() {
        return ApiResponse.text(200, CONTENT_TYPE, metrics.scrape());
    }
}
