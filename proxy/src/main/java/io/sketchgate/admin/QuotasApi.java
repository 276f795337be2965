package io.sketchgate.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.api.ApiHandler;
import io.sketchgate.api.ApiRequest;
import io.sketchgate.api.ApiResponse;
import io.sketchgate.api.SketchgateApi;
import io.sketchgate.config.LimitDocuments;
import io.sketchgate.es.EsJson;
import io.sketchgate.http.Identity;
import io.sketchgate.runtime.EntryKey;
import io.sketchgate.runtime.EntryViews;
import io.sketchgate.runtime.RuntimeLimits;
import io.sketchgate.runtime.Version;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /_sketchgate/quotas}: list every role and user override with where it comes from; {@code GET}, {@code PUT}
 * and {@code DELETE} one of {@code roles/{role}} and {@code users/{user}}. Bodies are read by the config file's
 * readers ({@link LimitDocuments}); versions come from Elasticsearch ({@link Version}); every change is stored, audited
 * and applied on this instance before it is acknowledged. Admins only.
 */
final class QuotasApi implements ApiHandler {
    private final RuntimeLimits limits;
    private final EntryWrites writes;

    QuotasApi(RuntimeLimits limits) {
        this.limits = limits;
        this.writes = new EntryWrites(limits);
    }

    @Override
    public CompletableFuture<ApiResponse> handle(ApiRequest request) {
        List<String> segments = request.segments();
        if (segments.size() == 1) {
            if (!request.method().equals("GET")) {
                throw SketchgateApi.methodNotAllowed(request, "GET");
            }
            return AdminAccess.requireAdmin(request)
                    .thenCompose(caller -> limits.submit(() -> {
                        limits.refresh();
                        return ApiResponse.json(200, EntryViews.all(limits));
                    }));
        }
        Optional<EntryKey.Kind> kind = segments.size() == 3 ? kindOf(segments.get(1)) : Optional.empty();
        if (kind.isEmpty()) {
            throw ApiErrors.notFound("No such quotas endpoint [" + request.method() + " " + request.path() + "]. Use"
                    + " /_sketchgate/quotas, /_sketchgate/quotas/roles/{role} or /_sketchgate/quotas/users/{user}.");
        }
        EntryKey key = new EntryKey(kind.get(), segments.get(2));
        return switch (request.method()) {
            case "GET" -> AdminAccess.requireAdmin(request).thenCompose(caller -> limits.submit(() -> get(key)));
            case "PUT" -> AdminAccess.requireAdmin(request).thenCompose(caller -> put(request, caller, key));
            case "DELETE" -> AdminAccess.requireAdmin(request).thenCompose(caller -> delete(request, caller, key));
            default -> throw SketchgateApi.methodNotAllowed(request, "GET, PUT, DELETE");
        };
    }

    private static Optional<EntryKey.Kind> kindOf(String segment) {
        return switch (segment) {
            case "roles" -> Optional.of(EntryKey.Kind.ROLE);
            case "users" -> Optional.of(EntryKey.Kind.USER);
            default -> Optional.empty();
        };
    }

    private ApiResponse get(EntryKey key) {
        limits.refresh(); // the version answered is the one stored now
        RuntimeLimits.State state = limits.state();
        Optional<RuntimeLimits.Entry> stored =
                Optional.ofNullable(state.stored().get(key));
        Optional<Map<String, Object>> file = EntryViews.fileSettings(limits.base(), key);
        Optional<RuntimeLimits.Invalid> invalid =
                state.invalid().stream().filter(i -> i.id().equals(key.id())).findFirst();
        if (stored.isEmpty() && file.isEmpty() && invalid.isEmpty()) {
            throw ApiErrors.notFound("There is no " + key.describe() + ", in the config file or set at run time. Create"
                    + " it with PUT " + key.path() + ".");
        }
        ObjectNode body = EntryViews.entry(key, stored, file);
        invalid.ifPresent(i -> body.set("invalid", EntryViews.invalid(i)));
        if (!state.status().available()) {
            body.put("store", "unavailable: " + state.status().lastError().orElse("?"));
        }
        return ApiResponse.json(200, body).withHeader("ETag", Version.etag(stored.map(RuntimeLimits.Entry::version)));
    }

    private CompletableFuture<ApiResponse> put(ApiRequest request, Identity caller, EntryKey key) {
        Object body = EntryWrites.jsonBody(request, "{\"indices\": [\"logs-*\"], \"max_time_range\": \"31d\"}");
        LimitDocuments.Read<?> read = key.kind() == EntryKey.Kind.ROLE
                ? LimitDocuments.role(key.name(), body)
                : LimitDocuments.userOverrides(key.name(), body);
        if (!read.valid()) {
            return CompletableFuture.completedFuture(ApiErrors.validation("The " + key.describe(), read.problems()));
        }
        Map<String, Object> settings = read.value().get() instanceof io.sketchgate.config.RoleConfig role
                ? LimitDocuments.describe(role)
                : LimitDocuments.describe(
                        (io.sketchgate.config.LimitSettings) read.value().get());
        Optional<Version.Expected> expected = EntryWrites.ifMatch(request);
        return limits.submit(() -> store(request, caller, key, Optional.of(settings), expected));
    }

    private CompletableFuture<ApiResponse> delete(ApiRequest request, Identity caller, EntryKey key) {
        Optional<Version.Expected> expected = EntryWrites.ifMatch(request);
        return limits.submit(() -> store(request, caller, key, Optional.empty(), expected));
    }

    /** Writes or deletes the stored change and answers; runs on {@link RuntimeLimits}'s thread. */
    private ApiResponse store(
            ApiRequest request,
            Identity caller,
            EntryKey key,
            Optional<Map<String, Object>> settings,
            Optional<Version.Expected> expected) {
        Optional<Map<String, Object>> file = EntryViews.fileSettings(limits.base(), key);
        EntryWrites.Written written = writes.write(
                request, caller, key, settings.map(RuntimeLimits::toJson), file.map(RuntimeLimits::toJson), expected);
        return answer(key, written.result(), written.version(), file);
    }

    private ApiResponse answer(
            EntryKey key, String result, Optional<Version> version, Optional<Map<String, Object>> file) {
        Optional<RuntimeLimits.Entry> stored =
                Optional.ofNullable(limits.state().stored().get(key));
        ObjectNode body;
        if (stored.isPresent() || file.isPresent()) {
            body = EntryViews.entry(key, stored, file);
        } else {
            body = EsJson.JSON.createObjectNode();
            body.put("kind", key.kind().wireName());
            body.put("name", key.name());
        }
        body.put("result", result);
        version.ifPresent(v -> body.put("version", v.text())); // the write's own version, even if a poll lags
        ApiResponse response = ApiResponse.json(result.equals("created") ? 201 : 200, body);
        return response.withHeader("ETag", Version.etag(version));
    }
}
