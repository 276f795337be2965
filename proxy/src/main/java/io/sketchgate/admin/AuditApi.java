package io.sketchgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.api.ApiHandler;
import io.sketchgate.api.ApiRequest;
import io.sketchgate.api.ApiResponse;
import io.sketchgate.api.SketchgateApi;
import io.sketchgate.es.EsJson;
import io.sketchgate.runtime.AuditLog;
import io.sketchgate.runtime.RuntimeLimits;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /_sketchgate/audit?from=&to=&user=&size=}: audit entries, newest first. {@code from} and {@code to}
 * are Elasticsearch dates or date math ({@code now-1d}); {@code size} defaults to 100. Admins only.
 */
final class AuditApi implements ApiHandler {
    private static final int DEFAULT_SIZE = 100;

    private final RuntimeLimits limits;

    AuditApi(RuntimeLimits limits) {
        this.limits = limits;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(ApiRequest request) {
        if (!request.method().equals("GET")) {
            throw SketchgateApi.methodNotAllowed(request, "GET");
        }
        if (request.segments().size() != 1) {
            throw ApiErrors.notFound("No such audit endpoint [" + request.path() + "]; use GET /_sketchgate/audit.");
        }
        int size = size(request);
        return AdminAccess.requireAdmin(request)
                .thenCompose(caller -> limits.submit(() -> {
                    AuditLog.Page page;
                    try {
                        page = limits.audit()
                                .search(
                                        request.parameter("from"),
                                        request.parameter("to"),
                                        request.parameter("user"),
                                        size);
                    } catch (AuditLog.BadQueryException e) {
                        throw ApiErrors.badRequest(
                                "illegal_argument_exception",
                                "from and to must be dates like" + " 2026-01-31T00:00:00Z or date math like now-1d: "
                                        + e.getMessage());
                    } catch (IOException e) {
                        throw ApiErrors.unavailable(
                                "the audit index (" + limits.settings().auditIndex() + ")", e);
                    }
                    ObjectNode body = EsJson.JSON.createObjectNode();
                    body.put("total", page.total());
                    ArrayNode entries = body.putArray("entries");
                    page.entries().forEach(entries::add);
                    return ApiResponse.json(200, body);
                }));
    }

    private static int size(ApiRequest request) {
        Optional<String> text = request.parameter("size");
        if (text.isEmpty()) {
            return DEFAULT_SIZE;
        }
        try {
            int size = Integer.parseInt(text.get());
            if (size >= 0 && size <= AuditLog.MAX_SIZE) {
                return size;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiErrors.badRequest(
                "illegal_argument_exception",
                "size must be a whole number from 0 to " + AuditLog.MAX_SIZE + ", was [" + text.get() + "].");
    }
}
