package io.sketchgate.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sketchgate.api.ApiResponse;
import io.sketchgate.api.ApiResponses;
import io.sketchgate.esapi.InspectedEndpoints;
import io.sketchgate.esapi.RequestPath;
import io.sketchgate.http.ErrorTranslator;
import io.sketchgate.http.JsonResponses;
import io.sketchgate.http.ProxyException;
import io.sketchgate.http.Verdict;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Chooses the stages of a request: Sketchgate's own API for {@code /_sketchgate/...} (never forwarded, whatever
 * the spelling); for query endpoints that a policy reads, buffering (bounded) and then the policy's verdict on the
 * decoded body; for everything else, the policy's verdict on the head and then streamed passthrough. With the
 * policy off ({@link RequestPolicy#ALLOW_ALL}) nothing reads a query body, so it streams like any other: not
 * collected, not copied, not limited by {@code limits.max_body}. Each stage is installed on the connection before
 * it runs.
 */
public final class RequestRouter {
    public static final String RESERVED_PREFIX = "_sketchgate";

    /** Placeholder while a request head is being examined; it takes no body yet. */
    static final Exchange NOT_STARTED = new Waiting(false);

    private RequestRouter() {}

    static boolean buffers(ListenerContext listener, RequestPath path) {
        return path.startsWith(RESERVED_PREFIX) || inspects(listener, path);
    }

    /** Whether the policy will read this request's body: only then is it collected before forwarding. */
    private static boolean inspects(ListenerContext listener, RequestPath path) {
        return listener.inspectSearchBodies()
                && listener.policy() != RequestPolicy.ALLOW_ALL
                && InspectedEndpoints.isInspected(path);
    }

    static void route(ClientConnection client, HttpRequest request, RequestPath path) {
        ListenerContext listener = client.listener();
        long maxBody = listener.limits().maxBodyBytes();
        if (path.startsWith(RESERVED_PREFIX)) {
            client.replace(new BufferingExchange(
                    client, request, maxBody, (head, body) -> answerLocally(client, head, path, body)));
        } else if (inspects(listener, path)) {
            client.replace(new BufferingExchange(
                    client, request, maxBody, (head, body) -> decideInspected(client, head, path, body)));
        } else {
            decide(
                    client,
                    request,
                    Optional.empty(),
                    0,
                    () -> {},
                    allow -> forward(client, request, path, null, allow));
        }
    }

    private static void answerLocally(ClientConnection client, HttpRequest head, RequestPath path, ByteBuf body) {
        long bytesIn = body.readableBytes();
        byte[] decoded;
        try {
            decoded = client.listener().bodyDecoder().decode(head.headers(), body);
        } catch (ProxyException e) {
            client.fail(e, bytesIn);
            return;
        } finally {
            body.release();
        }
        Waiting waiting = new Waiting(true);
        client.replace(waiting);
        client.decidedApi();
        CompletableFuture<ApiResponse> answer = client.listener()
                .api()
                .handle(head.method().name(), head.uri(), path, head.headers(), decoded, client.clientAddress());
        Runnable send = () -> {
            if (waiting.cancelled) {
                return;
            }
            try {
                client.respond(ApiResponses.toHttp(client.alloc(), answer.join()), bytesIn);
            } catch (CompletionException e) {
                client.fail(ErrorTranslator.translate(e), bytesIn);
            }
        };
        if (answer.isDone()) {
            send.run();
        } else {
            answer.whenComplete((r, e) -> client.channel().eventLoop().execute(send));
        }
    }

    private static void decideInspected(ClientConnection client, HttpRequest head, RequestPath path, ByteBuf body) {
        byte[] decoded;
        try {
            decoded = client.listener().bodyDecoder().decode(head.headers(), body);
        } catch (ProxyException e) {
            long bytesIn = body.readableBytes();
            body.release();
            client.fail(e, bytesIn);
            return;
        }
        long received = body.readableBytes(); // as sent, before inflation
        decide(client, head, Optional.of(decoded), received, body::release, allow -> {
            ByteBuf toSend = body;
            if (allow.body().isPresent()) {
                // the policy changed the query (e.g. clamped it): send the new body, uncompressed
                body.release();
                toSend = Unpooled.wrappedBuffer(allow.body().get());
                head.headers().remove(HttpHeaderNames.CONTENT_ENCODING);
                head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                head.headers().set(HttpHeaderNames.CONTENT_LENGTH, toSend.readableBytes());
            }
            forward(client, head, path, toSend, allow);
        });
    }

    private static void forward(
            ClientConnection client, HttpRequest head, RequestPath path, ByteBuf body, Verdict.Allow allow) {
        ForwardExchange exchange = new ForwardExchange(client, head, path, body, allow);
        client.replace(exchange);
        exchange.start();
    }

    /**
     * Asks the policy and continues on the connection's event loop. Until the verdict the request takes no body
     * from the client (it waits in the socket), so nothing reaches upstream undecided.
     */
    private static void decide(
            ClientConnection client,
            HttpRequest request,
            Optional<byte[]> body,
            long bytesIn,
            Runnable onDenied,
            Consumer<Verdict.Allow> onAllowed) {
        Waiting waiting = new Waiting(body.isPresent());
        client.replace(waiting);
        CompletableFuture<Verdict> verdict;
        try {
            verdict = client.listener()
                    .policy()
                    .evaluate(new RequestPolicy.PolicyRequest(
                            request.method().name(), request.uri(), request.headers(), body));
        } catch (RuntimeException e) {
            verdict = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Verdict> result = verdict;
        Runnable apply = () -> apply(client, waiting, result, bytesIn, onDenied, onAllowed);
        if (result.isDone()) {
            apply.run();
        } else {
            result.whenComplete((v, e) -> client.channel().eventLoop().execute(apply));
        }
    }

    private static void apply(
            ClientConnection client,
            Waiting waiting,
            CompletableFuture<Verdict> future,
            long bytesIn,
            Runnable onDenied,
            Consumer<Verdict.Allow> onAllowed) {
        Verdict verdict;
        try {
            verdict = future.join();
        } catch (CompletionException e) {
            verdict = new Verdict.Deny("-", "error", ErrorTranslator.translate(e), Map.of());
        }
        if (waiting.cancelled) { // the client left while the policy was deciding
            onDenied.run();
            if (verdict instanceof Verdict.Allow allow) {
                allow.onFinished().accept(new Verdict.Outcome(499, OptionalLong.empty()));
            }
            return;
        }
        client.decided(verdict);
        if (verdict instanceof Verdict.Allow allow) {
            onAllowed.accept(allow);
        } else if (verdict instanceof Verdict.Answer answer) {
            onDenied.run();
            var response = JsonResponses.of(client.alloc(), HttpResponseStatus.valueOf(answer.status()), answer.json());
            answer.headers().forEach((name, value) -> response.headers().set(name, value));
            client.respond(response, bytesIn); // the request was read and answered: it counts as sent
        } else if (verdict instanceof Verdict.Deny deny) {
            onDenied.run();
            if (waiting.bodyReceived) {
                client.fail(deny.error(), deny.headers(), 0);
            } else {
                client.failAndClose(deny.error(), deny.headers(), 0); // the body, if any, was never read
            }
        }
    }

    /** A stage that takes no body: before routing, and while the policy decides. */
    private static final class Waiting implements Exchange {
        private final boolean bodyReceived;
        private boolean cancelled;

        Waiting(boolean bodyReceived) {
            this.bodyReceived = bodyReceived;
        }

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
            return bodyReceived;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
