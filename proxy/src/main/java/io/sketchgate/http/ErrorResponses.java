package io.sketchgate.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The one place that turns an error into Elasticsearch's JSON error shape:
 * {@code {"error":{"root_cause":[{"type","reason"}],"type","reason"},"status"}}.
 *
 * <p>Kibana shows the deepest {@code caused_by.reason}, else {@code error.reason}; so the user-facing
 * sentence goes in {@code reason} and no {@code caused_by} is added. {@code status} equals the HTTP status.
 */
public final class ErrorResponses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorResponses() {}

    public static FullHttpResponse of(ByteBufAllocator alloc, ProxyException error) {
        FullHttpResponse response = of(alloc, error.status(), error.type(), error.reason());
        error.headers().forEach((name, value) -> response.headers().set(name, value));
        return response;
    }

    public static FullHttpResponse of(ByteBufAllocator alloc, HttpResponseStatus status, String type, String reason) {
        return JsonResponses.of(alloc, status, body(status.code(), type, reason));
    }

    /** The error shape as a JSON tree: also what Elasticsearch puts in a failed {@code _msearch} slot. */
    public static ObjectNode body(int status, String type, String reason) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        ObjectNode cause = error.putArray("root_cause").addObject();
        cause.put("type", type);
        cause.put("reason", reason);
        error.put("type", type);
        error.put("reason", reason);
        root.put("status", status);
        return root;
    }
}
