package io.sketchgate.uniques;

import io.sketchgate.api.ApiHandler;
import io.sketchgate.api.ApiRequest;
import io.sketchgate.api.ApiResponse;
import io.sketchgate.api.SketchgateApi;
import io.sketchgate.config.UniqueCountDocuments;
import io.sketchgate.http.ErrorType;
import io.sketchgate.http.Identity;
import io.sketchgate.http.ProxyException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /_sketchgate/unique-counts}: the definitions in force with where they come from, their job and tailer
 * status; run-time changes; recomputes.
 * <pre>
 * GET    /_sketchgate/unique-counts                          every definition (any identified caller)
 * GET    /_sketchgate/unique-counts/{name}                   one definition, its version in ETag
 * PUT    /_sketchgate/unique-counts/{name}                   store a definition (sketchgate_admin; {@link DefinitionChanges})
 * DELETE /_sketchgate/unique-counts/{name}                   remove a stored definition (sketchgate_admin)
 * POST   /_sketchgate/unique-counts/{name}/_precompute?from=&amp;to=   queue a recompute (sketchgate_admin): 202
 * </pre>
 */
public final class UniqueCountsApi implements ApiHandler {
    public static final String ROUTE = "unique-counts";
    private static final String PRECOMPUTE = "_precompute";

    private final UniqueCountService service;
    private final UniqueCountDefinitions definitions;
    private final DefinitionChanges changes;

    public UniqueCountsApi(UniqueCountService service, UniqueCountDefinitions definitions, DefinitionChanges changes) {
        this.service = service;
        this.definitions = definitions;
        this.changes = changes;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(ApiRequest request) {
        List<String> path = request.segments().subList(1, request.segments().size());
        if (path.size() > 2 || (path.size() == 2 && !path.get(1).equals(PRECOMPUTE))) {
            throw notFound(request);
        }
        boolean precompute = path.size() == 2;
        if (path.size() == 1
                && (request.method().equals("PUT") || request.method().equals("DELETE"))) {
            return changes.change(request, path.get(0));
        }
        List<String> allowed = precompute ? List.of("POST") : List.of("GET", "HEAD");
        if (!allowed.contains(request.method())) {
            throw SketchgateApi.methodNotAllowed(request, String.join(", ", allowed));
        }
        return request.caller().thenApply(caller -> {
            UniqueCountDefinitions.Snapshot snapshot = definitions.snapshot();
            if (path.isEmpty()) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put(
                        "unique_counts",
                        service.statuses().stream()
                                .map(s -> withOrigin(s, snapshot))
                                .toList());
                body.put("invalid", snapshot.invalid());
                return ApiResponse.json(200, body);
            }
            String name = path.get(0);
            Map<String, Object> status = service.status(name).orElseThrow(() -> unknownDefinition(name));
            if (precompute) {
                return precompute(request, caller, name);
            }
            return ApiResponse.json(200, withOrigin(status, snapshot))
                    .withHeader("ETag", "\"" + snapshot.origin(name).version() + "\"");
        });
    }

    /** The status with {@code origin} (file or runtime), {@code version}, who changed it when, and the {@code settings} in force. */
    private Map<String, Object> withOrigin(Map<String, Object> status, UniqueCountDefinitions.Snapshot snapshot) {
        String name = (String) status.get("name");
        UniqueCountDefinitions.Origin origin = snapshot.origin(name);
        Map<String, Object> shown = new LinkedHashMap<>(status);
        shown.put("origin", origin.source());
        shown.put("version", origin.version());
        origin.updatedBy().ifPresent(u -> shown.put("updated_by", u));
        origin.updatedAt().ifPresent(t -> shown.put("updated_at", t));
        service.definition(name).ifPresent(d -> shown.put("settings", UniqueCountDocuments.describe(d)));
        return shown;
    }

    private ApiResponse precompute(ApiRequest request, Identity caller, String name) {
        if (!caller.isAdmin()) {
            throw ErrorType.FORBIDDEN.exception("action ["
                    + request.method() + " " + request.path() + "] needs the role [" + Identity.ADMIN_ROLE
                    + "]; user ["
                    + caller.user() + "] has roles "
                    + caller.roles().stream().sorted().toList()
                    + ". Ask an administrator to run it or to grant the role.");
        }
        Instant from = time(request, "from");
        Instant to = time(request, "to");
        Map<String, Object> job;
        try {
            job = service.recompute(name, from, to);
        } catch (UniqueCountException e) {
            throw badRequest(String.join("; ", e.problems()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("acknowledged", true);
        body.put("definition", name);
        body.put("from", from.toString());
        body.put("to", to.toString());
        body.put("job", job);
        return ApiResponse.json(202, body);
    }

    private static Instant time(ApiRequest request, String parameter) {
        Optional<String> text = request.parameter(parameter);
        if (text.isEmpty() || text.get().isBlank()) {
            throw badRequest("parameter [" + parameter + "] is required: an ISO-8601 time on a granule boundary,"
                    + " like " + parameter + "=2026-09-01T00:00:00Z");
        }
        try {
            return OffsetDateTime.parse(text.get()).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                return LocalDate.parse(text.get()).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw badRequest("parameter [" + parameter + "] must be an ISO-8601 time with an offset, like "
                        + "2026-09-01T00:00:00Z or 2026-09-01T09:00:00+09:00, or a date (UTC midnight), was ["
                        + text.get() + "]");
            }
        }
    }

    private ProxyException unknownDefinition(String name) {
        return ErrorType.NOT_FOUND.exception(
                "no unique count [" + name + "]; defined under unique_counts: " + service.names() + ".");
    }

    private static ProxyException notFound(ApiRequest request) {
        return ErrorType.ENDPOINT_NOT_FOUND.exception(
                "Sketchgate has no endpoint [" + request.method() + " " + request.path() + "]; use /_sketchgate/"
                        + ROUTE + ", /_sketchgate/" + ROUTE + "/{name} or /_sketchgate/" + ROUTE + "/{name}/"
                        + PRECOMPUTE
                        + ".");
    }

    private static ProxyException badRequest(String reason) {
        return ErrorType.ILLEGAL_ARGUMENT.exception(reason);
    }
}
