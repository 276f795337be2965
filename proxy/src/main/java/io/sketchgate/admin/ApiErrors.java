package io.sketchgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sketchgate.api.ApiResponse;
import io.sketchgate.config.ConfigProblem;
import io.sketchgate.http.ErrorResponses;
import io.sketchgate.http.ErrorType;
import io.sketchgate.http.ProxyException;
import java.util.List;

/** The admin API's errors, in Elasticsearch's shape. */
final class ApiErrors {
    static final String VALIDATION_TYPE = "sketchgate_validation_exception";
    static final String CONFLICT_TYPE = "version_conflict_engine_exception";
    static final String UNAVAILABLE_TYPE = "sketchgate_store_unavailable_exception";

    private ApiErrors() {}

    static ProxyException badRequest(String type, String reason) {
        return new ProxyException(HttpResponseStatus.BAD_REQUEST, type, reason);
    }

    static ProxyException notFound(String reason) {
        return ErrorType.NOT_FOUND.exception(reason);
    }

    static ProxyException unavailable(String what, Exception cause) {
        return new ProxyException(
                HttpResponseStatus.SERVICE_UNAVAILABLE,
                UNAVAILABLE_TYPE,
                "Sketchgate cannot reach "
                        + what + " in Elasticsearch (" + cause.getMessage() + "); nothing was changed. Try again when"
                        + " Elasticsearch is available (GET /_sketchgate/health shows its state).");
    }

    /**
     * 400 listing every problem: one {@code root_cause} per problem (so Kibana-style clients show them all) and
     * {@code error.problems} with key, value and reason for forms to place each message at its field.
     */
    static ApiResponse validation(String what, List<ConfigProblem> problems) {
        return validation(what, problems, "docs/limits.md");
    }

    /** As {@link #validation(String, List)}, pointing at {@code docs} for the keys. */
    static ApiResponse validation(String what, List<ConfigProblem> problems, String docs) {
        String reason = what + " is not valid (" + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "): "
                + String.join(
                        "; ",
                        problems.stream().map(p -> p.key() + ": " + p.reason()).toList())
                + ". Fix the request body and send it again; " + docs + " describes every key.";
        ObjectNode body = ErrorResponses.body(400, VALIDATION_TYPE, reason);
        ObjectNode error = (ObjectNode) body.get("error");
        ArrayNode causes = error.putArray("root_cause");
        ArrayNode list = error.putArray("problems");
        for (ConfigProblem problem : problems) {
            ObjectNode cause = causes.addObject();
            cause.put("type", VALIDATION_TYPE);
            cause.put("reason", problem.key() + ": " + problem.reason());
            ObjectNode item = list.addObject();
            item.put("key", problem.key());
            problem.value().ifPresentOrElse(v -> item.put("value", v), () -> item.putNull("value"));
            item.put("reason", problem.reason());
        }
        return ApiResponse.json(400, body);
    }
}
