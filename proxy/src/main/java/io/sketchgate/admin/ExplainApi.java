package io.sketchgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.api.ApiHandler;
import io.sketchgate.api.ApiRequest;
import io.sketchgate.api.ApiResponse;
import io.sketchgate.api.SketchgateApi;
import io.sketchgate.es.EsJson;
import io.sketchgate.esapi.InspectedEndpoints;
import io.sketchgate.esapi.RequestPath;
import io.sketchgate.http.ErrorResponses;
import io.sketchgate.http.Verdict;
import io.sketchgate.pipeline.RequestPipeline;
import io.sketchgate.policy.DecisionTrace;
import io.sketchgate.policy.EffectiveLimits;
import io.sketchgate.policy.Explanation;
import io.sketchgate.policy.Limit;
import io.sketchgate.policy.LimitRules;
import io.sketchgate.transport.RequestPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /_sketchgate/explain} with {@code {"method", "path", "headers", "body"}}: what the policy would do
 * with that request now — identity, indices, limits and where each comes from, the time and quota checks, and
 * the outcome with the exact error or rewritten body — without sending it to Elasticsearch or consuming quota.
 * The answer comes from {@link RequestPipeline#explain}, the same decision path as real requests. Admins only.
 */
final class ExplainApi implements ApiHandler {
    private final RequestPipeline pipeline;

    ExplainApi(RequestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(ApiRequest request) {
        if (!request.method().equals("POST")) {
            throw SketchgateApi.methodNotAllowed(request, "POST");
        }
        RequestPolicy.PolicyRequest explained = parse(request);
        return AdminAccess.requireAdmin(request).thenCompose(caller -> {
            return pipeline.explain(explained).thenApply(explanation -> ApiResponse.json(200, render(explanation)));
        });
    }

    /** The request to explain, as the proxy would hand it to the policy. */
    private static RequestPolicy.PolicyRequest parse(ApiRequest request) {
        JsonNode body;
        try {
            body = request.hasBody() ? EsJson.JSON.readTree(request.body()) : null;
        } catch (IOException e) {
            throw ApiErrors.badRequest(
                    "parse_exception",
                    "The request body is not valid JSON: "
                            + (e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                                    ? io.sketchgate.http.JsonErrors.describe(json)
                                    : "it cannot be read"));
        }
        if (body == null || !body.isObject()) {
            throw ApiErrors.badRequest(
                    "parse_exception",
                    "Send the request to explain as a JSON object: {\"method\":"
                            + " \"POST\", \"path\": \"/logs-*/_search\", \"headers\": {\"Authorization\": \"...\"}, \"body\":"
                            + " {...}}.");
        }
        String method = body.path("method").asText("GET").toUpperCase(Locale.ROOT);
        String path = body.path("path").asText("");
        if (!path.startsWith("/")) {
            throw ApiErrors.badRequest(
                    "illegal_argument_exception",
                    "path must be the request's path and query"
                            + " string, starting with /, like /logs-*/_search?size=0; was [" + path + "].");
        }
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            headers.add(header.getKey(), header.getValue().asText());
        }
        headers.remove("Content-Encoding"); // the body given here is never compressed
        JsonNode content = body.path("body");
        Optional<byte[]> bytes = Optional.empty();
        // as the proxy does: only query endpoints are buffered and read; everything else streams unread
        if (InspectedEndpoints.isInspected(RequestPath.parse(path))) {
            byte[] raw = content.isMissingNode() || content.isNull()
                    ? new byte[0]
                    : content.isTextual()
                            ? content.asText().getBytes(StandardCharsets.UTF_8)
                            : content.toString().getBytes(StandardCharsets.UTF_8);
            bytes = Optional.of(raw);
            if (raw.length > 0 && !headers.contains("Content-Type")) {
                headers.set("Content-Type", "application/json");
            }
        }
        return new RequestPolicy.PolicyRequest(method, path, headers, bytes);
    }

    private static ObjectNode render(Explanation explanation) {
        DecisionTrace trace = explanation.trace();
        Verdict verdict = explanation.verdict();
        ObjectNode root = EsJson.JSON.createObjectNode();
        ObjectNode identity = root.putObject("identity");
        identity.put("user", trace.user().orElse(verdict.user()));
        ArrayNode roles = identity.putArray("roles");
        trace.roles().forEach(roles::add);
        trace.endpoint().ifPresent(e -> root.put("endpoint", e.name().toLowerCase(Locale.ROOT)));
        ObjectNode indices = root.putObject("indices");
        trace.writtenIndices().forEach(indices.putArray("requested")::add);
        trace.resolvedIndices().forEach(indices.putArray("resolved")::add);
        trace.limits().ifPresent(limits -> {
            root.set("governing_roles", EsJson.JSON.valueToTree(limits.governingRoles()));
            root.set("limits", limits(limits, trace.rules().orElseThrow()));
        });
        trace.timeCheck().ifPresent(t -> root.put("time_span", t));
        trace.quotaCheck().ifPresent(q -> root.put("quota", q));
        root.put("decision", verdict.decision());
        if (verdict instanceof Verdict.Allow allow) {
            boolean clamped = allow.responseHeaders().containsKey("X-Sketchgate-Clamped");
            root.put("outcome", clamped ? "clamp" : "allow");
            root.set("response_headers", EsJson.JSON.valueToTree(allow.responseHeaders()));
            allow.body().ifPresent(b -> root.set("rewritten_body", parseOrText(b)));
            allow.executionLimit().ifPresent(l -> root.put("execution_limit", l.describe()));
        } else if (verdict instanceof Verdict.Deny deny) {
            root.put("outcome", "reject");
            root.put("status", deny.error().status().code());
            root.set(
                    "error",
                    ErrorResponses.body(
                            deny.error().status().code(),
                            deny.error().type(),
                            deny.error().reason()));
            root.set("response_headers", EsJson.JSON.valueToTree(deny.headers()));
        } else if (verdict instanceof Verdict.Answer answer) {
            root.put("outcome", "answer");
            root.put("status", answer.status());
            root.set("answer", parseOrText(answer.json()));
        }
        return root;
    }

    /** Each limit in force: value, which role or override set it, and whether that is the file or a run-time change. */
    private static ObjectNode limits(EffectiveLimits limits, LimitRules rules) {
        ObjectNode node = EsJson.JSON.createObjectNode();
        add(node, limits.maxTimeRange(), rules);
        add(node, limits.onExceed(), rules);
        add(node, limits.requireTimeFilter(), rules);
        add(node, limits.requestsPerMinute(), rules);
        add(node, limits.maxConcurrent(), rules);
        add(node, limits.maxQueue(), rules);
        add(node, limits.maxQueueTime(), rules);
        add(node, limits.maxExecutionTime(), rules);
        add(node, limits.dailyEsTimeBudget(), rules);
        return node;
    }

    private static void add(ObjectNode node, Optional<? extends Limit<?>> limit, LimitRules rules) {
        limit.ifPresent(l -> {
            ObjectNode entry = node.putObject(l.key());
            Object value = l.value();
            if (value instanceof Duration d) {
                entry.put("value", io.sketchgate.config.Durations.format(d));
            } else if (value instanceof io.sketchgate.config.OnExceed o) {
                entry.put("value", o.configName());
            } else {
                entry.set("value", EsJson.JSON.valueToTree(value));
            }
            entry.put("from", l.describe());
            entry.put("source", rules.originOf(l.source()).wireName());
        });
    }

    private static JsonNode parseOrText(byte[] bytes) {
        try {
            return EsJson.JSON.readTree(bytes);
        } catch (IOException notJson) {
            return EsJson.JSON.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
        }
    }
}
