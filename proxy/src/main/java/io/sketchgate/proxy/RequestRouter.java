package io.sketchgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Chooses the first stage of a request: Sketchgate's own API for {@code /_sketchgate/...} (never
 * forwarded, whatever the spelling), buffered inspection for query endpoints, streamed passthrough for
 * everything else.
 */
final class RequestRouter {
    static final String RESERVED_PREFIX = "_sketchgate";

    /** Placeholder while a request head is being examined; it takes no body yet. */
    static final Exchange NOT_STARTED = new Exchange() {
        @Override
        public boolean wantsClientContent() {
            return false;
        }

        @Override
        public void onClientContent(HttpContent content) {
            content.release();
        }

        @Override
        public boolean requestComplete() {
            return false;
        }

        @Override
        public void cancel() {
        }
    };

    private RequestRouter() {
    }

    static boolean buffers(ListenerContext listener, HttpRequest request) {
        RequestPath path = RequestPath.parse(request.uri());
        return path.startsWith(RESERVED_PREFIX) || (listener.inspectSearchBodies() && InspectedEndpoints.isInspected(path));
    }

    static Exchange route(ClientConnection client, HttpRequest request) {
        ListenerContext listener = client.listener();
        RequestPath path = RequestPath.parse(request.uri());
        long maxBody = listener.limits().maxBodyBytes();
        if (path.startsWith(RESERVED_PREFIX)) {
            return new BufferingExchange(client, request, maxBody, (head, body) -> answerLocally(client, head, path, body));
        }
        if (listener.inspectSearchBodies() && InspectedEndpoints.isInspected(path)) {
            return new BufferingExchange(client, request, maxBody, (head, body) -> forwardInspected(client, head, body));
        }
        ForwardExchange exchange = new ForwardExchange(client, request, null);
        exchange.start();
        return exchange;
    }

    private static void answerLocally(ClientConnection client, HttpRequest head, RequestPath path, ByteBuf body) {
        long bytesIn = body.readableBytes();
        try {
            client.respond(client.listener().api().handle(client.alloc(), head, path, body), bytesIn);
        } catch (ProxyException e) {
            client.fail(e, bytesIn);
        } finally {
            body.release();
        }
    }

    private static void forwardInspected(ClientConnection client, HttpRequest head, ByteBuf body) {
        try {
            client.listener().bodyDecoder().decode(head.headers(), body);
        } catch (ProxyException e) {
            long bytesIn = body.readableBytes();
            body.release();
            client.fail(e, bytesIn);
            return;
        }
        ForwardExchange exchange = new ForwardExchange(client, head, body);
        client.replace(exchange);
        exchange.start();
    }
}
