package io.sketchgate.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sketchgate.http.ErrorTranslator;
import io.sketchgate.http.JsonResponses;
import io.sketchgate.http.ProxyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns {@link ApiHandler} outcomes into HTTP responses. */
public final class ApiResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ApiResponses.class);

    private ApiResponses() {}

    public static FullHttpResponse toHttp(ByteBufAllocator alloc, ApiResponse answer) {
        ByteBuf content = alloc.buffer(answer.body().length).writeBytes(answer.body());
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()), content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .set(HttpHeaderNames.CONTENT_LENGTH, answer.body().length)
                .set(JsonResponses.ELASTIC_PRODUCT_HEADER, "Elasticsearch");
        answer.headers().forEach((name, value) -> response.headers().set(name, value));
        return response;
    }

    /** A handler's failure as the error to answer: see {@link ErrorTranslator}. */
    public static ProxyException asProxyException(Throwable failure) {
        return ErrorTranslator.translate(failure);
    }
}
