package io.sketchgate.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;

/**
 * Sketchgate's own endpoints under {@code /_sketchgate/}. They are answered here and never forwarded.
 * For now: {@code GET /_sketchgate/health}, liveness plus readiness (at least one Elasticsearch node up).
 */
final class SketchgateApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Upstream elasticsearch;

    SketchgateApi(Upstream elasticsearch) {
        this.elasticsearch = elasticsearch;
    }

    FullHttpResponse handle(ByteBufAllocator alloc, HttpRequest request, RequestPath path, ByteBuf body) {
        List<String> segments = path.segments();
        if (segments.size() == 2 && segments.get(1).equals("health")) {
            if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
                throw methodNotAllowed(request, path, "GET, HEAD");
            }
            return health(alloc);
        }
        throw new ProxyException(HttpResponseStatus.NOT_FOUND, "sketchgate_endpoint_not_found_exception",
                "Sketchgate has no endpoint [" + request.method() + " " + path + "]. Paths under /_sketchgate/ are"
                        + " Sketchgate's own API and are never forwarded to Elasticsearch; see docs/ for the list.");
    }

    private FullHttpResponse health(ByteBufAllocator alloc) {
        ObjectNode body = JSON.createObjectNode();
        boolean ready = elasticsearch.anyUp();
        body.put("status", ready ? "ready" : "not_ready");
        body.put("live", true);
        ArrayNode nodes = body.putArray("elasticsearch");
        for (UpstreamNode node : elasticsearch.nodes()) {
            ObjectNode entry = nodes.addObject();
            entry.put("node", node.toString());
            entry.put("up", node.isUp());
            if (!node.isUp()) {
                entry.put("last_error", node.lastError());
            }
        }
        return JsonResponses.of(alloc, ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
    }

    private static ProxyException methodNotAllowed(HttpRequest request, RequestPath path, String allowed) {
        return new ProxyException(HttpResponseStatus.METHOD_NOT_ALLOWED, "sketchgate_method_not_allowed_exception",
                "Method [" + request.method() + "] is not allowed on [" + path + "]; allowed: " + allowed + ".");
    }
}
