package io.sketchgate.esapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the continuation ids out of responses (what a request created) and out of requests (what a
 * continuation refers to). Small pure functions over parsed JSON.
 */
public final class ContinuationIds {
    private ContinuationIds() {}

    /** An id created by a response. */
    public record Created(ContinuationKind kind, String id) {}

    /**
     * The ids the response to a request on {@code endpoint} creates or renews: {@code _scroll_id} of a search
     * or scroll page, {@code pit_id} of a search over a PIT, {@code id} of an opened PIT or of an async search
     * / SQL / EQL / ES|QL that is still running or kept, {@code cursor} of SQL.
     */
    public static List<Created> created(QueryEndpoint endpoint, JsonNode response) {
        List<Created> ids = new ArrayList<>(2);
        JsonNode body = response;
        if (endpoint == QueryEndpoint.ASYNC_SEARCH_SUBMIT || endpoint == QueryEndpoint.ASYNC_SEARCH_GET) {
            text(response, "id").ifPresent(id -> ids.add(new Created(ContinuationKind.ASYNC_SEARCH, id)));
            body = response.path("response");
        }
        switch (endpoint) {
            case SEARCH, SEARCH_TEMPLATE, SCROLL, ASYNC_SEARCH_SUBMIT, ASYNC_SEARCH_GET -> {
                text(body, "_scroll_id").ifPresent(id -> ids.add(new Created(ContinuationKind.SCROLL, id)));
                text(body, "pit_id").ifPresent(id -> ids.add(new Created(ContinuationKind.PIT, id)));
            }
            case PIT_OPEN -> text(response, "id").ifPresent(id -> ids.add(new Created(ContinuationKind.PIT, id)));
            case SQL, SQL_ASYNC_GET -> {
                text(response, "cursor").ifPresent(id -> ids.add(new Created(ContinuationKind.SQL_CURSOR, id)));
                text(response, "id").ifPresent(id -> ids.add(new Created(ContinuationKind.SQL_ASYNC, id)));
            }
            case EQL_SEARCH, EQL_GET ->
                text(response, "id").ifPresent(id -> ids.add(new Created(ContinuationKind.EQL_ASYNC, id)));
            case ESQL, ESQL_ASYNC_GET ->
                text(response, "id").ifPresent(id -> ids.add(new Created(ContinuationKind.ESQL_ASYNC, id)));
            default -> {}
        }
        return ids;
    }

    /**
     * The ids a continuation request refers to: in the path, the {@code scroll_id} parameter, or the body
     * ({@code scroll_id} as string or array, {@code pit.id} of a search, {@code id} of a PIT close,
     * {@code cursor} of SQL). {@code body} may be null. {@code _all} (clear every scroll) is returned as is;
     * policy must not let one user clear everyone's scrolls.
     */
    public static List<Created> referenced(ClassifiedRequest request, JsonNode body) {
        JsonNode json = body == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : body;
        List<Created> ids = new ArrayList<>(1);
        switch (request.endpoint()) {
            case SCROLL, SCROLL_CLEAR -> {
                request.pathId().ifPresent(id -> {
                    for (String one : id.split(",")) {
                        ids.add(new Created(ContinuationKind.SCROLL, one));
                    }
                });
                Optional.ofNullable(request.parameters().get("scroll_id"))
                        .ifPresent(id -> ids.add(new Created(ContinuationKind.SCROLL, id)));
                JsonNode scrollId = json.path("scroll_id");
                if (scrollId.isArray()) {
                    scrollId.forEach(id -> ids.add(new Created(ContinuationKind.SCROLL, id.asText())));
                } else if (scrollId.isTextual()) {
                    ids.add(new Created(ContinuationKind.SCROLL, scrollId.asText()));
                }
            }
            case SEARCH, SEARCH_TEMPLATE, ASYNC_SEARCH_SUBMIT, MSEARCH ->
                text(json.path("pit"), "id").ifPresent(id -> ids.add(new Created(ContinuationKind.PIT, id)));
            case PIT_CLOSE -> text(json, "id").ifPresent(id -> ids.add(new Created(ContinuationKind.PIT, id)));
            case SQL, SQL_TRANSLATE, SQL_CLOSE ->
                text(json, "cursor").ifPresent(id -> ids.add(new Created(ContinuationKind.SQL_CURSOR, id)));
            case ASYNC_SEARCH_GET, ASYNC_SEARCH_STATUS, ASYNC_SEARCH_DELETE ->
                request.pathId().ifPresent(id -> ids.add(new Created(ContinuationKind.ASYNC_SEARCH, id)));
            case SQL_ASYNC_GET, SQL_ASYNC_STATUS, SQL_ASYNC_DELETE ->
                request.pathId().ifPresent(id -> ids.add(new Created(ContinuationKind.SQL_ASYNC, id)));
            case EQL_GET, EQL_STATUS, EQL_DELETE ->
                request.pathId().ifPresent(id -> ids.add(new Created(ContinuationKind.EQL_ASYNC, id)));
            case ESQL_ASYNC_GET, ESQL_ASYNC_DELETE ->
                request.pathId().ifPresent(id -> ids.add(new Created(ContinuationKind.ESQL_ASYNC, id)));
            default -> {}
        }
        return ids;
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isEmpty()
                ? Optional.of(value.asText())
                : Optional.empty();
    }
}
