package io.sketchgate.admin;

import io.sketchgate.es.EsJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sketchgate.config.LimitDocuments;
import io.sketchgate.proxy.ApiCaller;
import io.sketchgate.proxy.ApiHandler;
import io.sketchgate.proxy.ApiRequest;
import io.sketchgate.proxy.ApiResponse;
import io.sketchgate.proxy.ProxyException;
import io.sketchgate.proxy.SketchgateApi;

import java.io.IOException;
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
    /** Attempts of a write without {@code If-Match} when another writer keeps winning the race. */
    private static final int UNCONDITIONAL_ATTEMPTS = 3;

    private final RuntimeLimits limits;

    QuotasApi(RuntimeLimits limits) {
        this.limits = limits;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(ApiRequest request) {
        List<String> segments = request.segments();
        if (segments.size() == 1) {
            if (!request.method().equals("GET")) {
                throw SketchgateApi.methodNotAllowed(request, "GET");
            }
            return AdminAccess.requireAdmin(request).thenCompose(caller -> limits.submit(() -> {
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
        Optional<RuntimeLimits.Entry> stored = Optional.ofNullable(state.stored().get(key));
        Optional<Map<String, Object>> file = EntryViews.fileSettings(limits.base(), key);
        Optional<RuntimeLimits.Invalid> invalid = state.invalid().stream().filter(i -> i.id().equals(key.id())).findFirst();
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

    private CompletableFuture<ApiResponse> put(ApiRequest request, ApiCaller caller, EntryKey key) {
        Object body = jsonBody(request);
        LimitDocuments.Read<?> read = key.kind() == EntryKey.Kind.ROLE
                ? LimitDocuments.role(key.name(), body) : LimitDocuments.userOverrides(key.name(), body);
        if (!read.valid()) {
            return CompletableFuture.completedFuture(ApiErrors.validation("The " + key.describe(), read.problems()));
        }
        Map<String, Object> settings = read.value().get() instanceof io.sketchgate.config.RoleConfig role
                ? LimitDocuments.describe(role) : LimitDocuments.describe((io.sketchgate.config.LimitSettings) read.value().get());
        Optional<Version.Expected> expected = ifMatch(request);
        return limits.submit(() -> store(request, caller, key, Optional.of(settings), expected));
    }

    private CompletableFuture<ApiResponse> delete(ApiRequest request, ApiCaller caller, EntryKey key) {
        Optional<Version.Expected> expected = ifMatch(request);
        return limits.submit(() -> store(request, caller, key, Optional.empty(), expected));
    }

    /**
     * Writes ({@code settings} present) or deletes the stored change, checked against {@code expected}, then audits
     * it and applies it here. Runs on {@link RuntimeLimits}'s thread.
     */
    private ApiResponse store(ApiRequest request, ApiCaller caller, EntryKey key, Optional<Map<String, Object>> settings,
                              Optional<Version.Expected> expected) {
        Optional<Map<String, Object>> file = EntryViews.fileSettings(limits.base(), key);
        try {
            limits.store().ensureIndex();
            limits.audit().ensureIndex();
            for (int attempt = 1; ; attempt++) {
                Optional<ConfigStore.Stored> current = limits.store().get(key);
                Optional<Version> currentVersion = current.map(ConfigStore.Stored::version);
                if (expected.isPresent() && !expected.get().version().equals(currentVersion)) {
                    throw conflict(key, expected.get(), currentVersion);
                }
                if (settings.isEmpty() && current.isEmpty()) {
                    throw ApiErrors.notFound("There is no run-time change of " + key.describe() + " to delete"
                            + (file.isPresent() ? "; the config file defines it, and only editing the file removes it."
                            : "."));
                }
                String now = limits.clock().instant().toString();
                Optional<Version> written;
                try {
                    if (settings.isPresent()) {
                        written = Optional.of(limits.store().put(key, RuntimeLimits.toJson(settings.get()), currentVersion,
                                caller.user(), request.remoteAddress(), now));
                    } else {
                        limits.store().delete(key, currentVersion.get());
                        written = Optional.empty();
                    }
                } catch (ConfigStore.ConflictException lost) {
                    if (expected.isPresent() || attempt >= UNCONDITIONAL_ATTEMPTS) {
                        throw conflict(key, expected.orElse(new Version.Expected(currentVersion,
                                currentVersion.map(Version::text).orElse(Version.FILE))), lost.current());
                    }
                    continue; // no If-Match: someone wrote between our read and write; read again for the audit
                }
                JsonNode before = before(current, file);
                JsonNode after = settings.isPresent()
                        ? EntryViews.state(Optional.of(new RuntimeLimits.Entry(key, written.get(), settings.get(),
                        caller.user(), now)), file)
                        : EntryViews.state(Optional.empty(), file);
                limits.audit().append(new AuditLog.Entry(now, caller.user(), List.copyOf(caller.roles()),
                        request.remoteAddress(), request.method(), request.path(), key, before, after));
                limits.refresh();
                return answer(key, current.isEmpty() ? "created" : settings.isPresent() ? "updated" : "deleted",
                        written, file);
            }
        } catch (IOException e) {
            throw ApiErrors.unavailable("the run-time limits store (" + limits.settings().index() + ")", e);
        }
    }

    private ApiResponse answer(EntryKey key, String result, Optional<Version> version, Optional<Map<String, Object>> file) {
        Optional<RuntimeLimits.Entry> stored = Optional.ofNullable(limits.state().stored().get(key));
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

    private static JsonNode before(Optional<ConfigStore.Stored> current, Optional<Map<String, Object>> file) {
        if (current.isEmpty()) {
            return EntryViews.state(Optional.empty(), file);
        }
        ObjectNode node = EsJson.JSON.createObjectNode();
        node.put("source", "runtime");
        node.put("version", current.get().version().text());
        node.set("settings", current.get().settings());
        return node;
    }

    private static ProxyException conflict(EntryKey key, Version.Expected expected, Optional<Version> current) {
        String now = current.map(Version::text).orElse(Version.FILE);
        return new ProxyException(HttpResponseStatus.CONFLICT, ApiErrors.CONFLICT_TYPE, "The " + key.describe()
                + " changed since version [" + expected.text() + "] (If-Match): the current version is [" + now + "]"
                + (current.isEmpty() ? " (no run-time change stored)" : "") + ". GET " + key.path()
                + ", reapply your change and send it with If-Match: \"" + now + "\".");
    }

    private static Optional<Version.Expected> ifMatch(ApiRequest request) {
        String header = request.headers().get("If-Match");
        if (header == null) {
            return Optional.empty();
        }
        return Optional.of(Version.parseIfMatch(header).orElseThrow(() -> ApiErrors.badRequest("illegal_argument_exception",
                "If-Match must be a version as GET returns it in ETag, like \"7:1\", or \"file\" for an entry with no"
                        + " run-time change; was [" + header + "].")));
    }

    /** The body as plain Java values; 400 when it is missing or not JSON. */
    private static Object jsonBody(ApiRequest request) {
        if (!request.hasBody()) {
            throw ApiErrors.badRequest("parse_exception", "The request needs a JSON object body with the settings,"
                    + " like {\"indices\": [\"logs-*\"], \"max_time_range\": \"31d\"}.");
        }
        try {
            JsonNode node = EsJson.JSON.readTree(request.body());
            return EsJson.JSON.convertValue(node, Object.class);
        } catch (JsonProcessingException e) {
            throw ApiErrors.badRequest("parse_exception", "The request body is not valid JSON ("
                    + e.getOriginalMessage() + "); send a JSON object with the settings.");
        } catch (IOException e) {
            throw ApiErrors.badRequest("parse_exception", "The request body cannot be read: " + e.getMessage());
        }
    }
}
