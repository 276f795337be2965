package io.sketchgate.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.UncheckedIOException;

/**
 * Responses Sketchgate makes itself. They carry {@code X-elastic-product: Elasticsearch} whatever the
 * status: Kibana's client refuses a 2xx without it and reads a 404 without it as "not Elasticsearch".
 */
public final class JsonResponses {
    public static final String ELASTIC_PRODUCT_HEADER = "X-elastic-product";
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonResponses() {}

    public static FullHttpResponse of(ByteBufAllocator alloc, HttpResponseStatus status, JsonNode body) {
        try {
            return of(alloc, status, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FullHttpResponse of(ByteBufAllocator alloc, HttpResponseStatus status, byte[] bytes) {
        ByteBuf content = alloc.buffer(bytes.length).writeBytes(bytes);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(ELASTIC_PRODUCT_HEADER, "Elasticsearch");
        return response;
    }
}
