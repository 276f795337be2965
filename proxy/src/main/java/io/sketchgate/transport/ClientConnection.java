package io.sketchgate.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.sketchgate.config.Durations;
import io.sketchgate.esapi.RequestPath;
import io.sketchgate.http.ErrorResponses;
import io.sketchgate.http.ErrorType;
import io.sketchgate.http.ProxyException;
import io.sketchgate.http.Verdict;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 connection from a client. Requests are handled one at a time, in order (pipelined requests
 * wait in a short queue); reads from the socket happen only when the current stage can take data, which is
 * what bounds memory. While a response is awaited a single read stays pending, so a client that hangs up is
 * noticed at once and its upstream request is cancelled.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    private static final String OPAQUE_ID = "X-Opaque-Id";

    private final ListenerContext listener;
    private final ArrayDeque<HttpObject> inbound = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Exchange current;
    private HttpRequest currentHead;
    private Instant currentStart;
    private long startNanos;
    private boolean keepAlive;
    private String user = "-";
    private String decision = "-";
    private FinishedRequest.Decision decisionKind = FinishedRequest.Decision.UNDECIDED;
    private String rejectionCode;
    private boolean readPending;
    private boolean closed;
    private long requestsStarted;
    private ConnectionTimer timer;
    private String clientAddress;
    private String currentUri;

    ClientConnection(ListenerContext listener) {
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        readIfWanted();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpObject object && !closed) {
            inbound.add(object);
            drain();
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readPending = false;
        readIfWanted();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && current != null) {
            current.onClientWritable();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (timer != null) {
            timer.close();
        }
        inbound.forEach(ReferenceCountUtil::release);
        inbound.clear();
        if (current != null) {
            Exchange gone = current;
            finish(ExchangeResult.local(499, 0, 0));
            gone.cancel();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && current == null) {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("client connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    // ---- used by the request head timer ----

    /** How many requests this connection has started: a new value means a new head arrived. */
    long requestsStarted() {
        return requestsStarted;
    }

    /** The connection's one timer, for the header and response deadlines. */
    ConnectionTimer timer() {
        if (timer == null) {
            timer = new ConnectionTimer(ctx.executor());
        }
        return timer;
    }

    /** No request is in progress: the next bytes begin a request head. */
    boolean awaitingHead() {
        return current == null && !closed;
    }

    /** The head did not arrive within {@code limits.header_timeout}: answer 408 and close. */
    void headTimedOut() {
        closed = true;
        ProxyException error = ErrorType.REQUEST_TIMEOUT.exception("The request headers did not arrive within "
                + Durations.format(listener.limits().headerTimeout())
                + " (limits.header_timeout). Send the whole request head at once.");
        FullHttpResponse response = ErrorResponses.of(ctx.alloc(), error);
        HttpUtil.setKeepAlive(response, false);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    // ---- used by exchanges ----

    ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    Channel channel() {
        return ctx.channel();
    }

    ListenerContext listener() {
        return listener;
    }

    /** Whether the client asked to keep the connection open after this response. */
    boolean keepAlive() {
        return keepAlive;
    }

    /** Moves the current request to its next stage (e.g. from buffering to forwarding). */
    void replace(Exchange next) {
        current = next;
        drain();
    }

    /** Data can flow again in the current stage: process queued input and read more if it is wanted. */
    void resume() {
        drain();
    }

    /** Answers the current request with a response Sketchgate made itself. */
    void respond(FullHttpResponse response, long bytesIn) {
        boolean reuse = keepAlive && current != null && current.requestComplete();
        echoOpaqueId(response);
        HttpUtil.setKeepAlive(response, reuse);
        long bytesOut = response.content().readableBytes();
        int status = response.status().code();
        var write = ctx.writeAndFlush(response);
        if (!reuse) {
            write.addListener(ChannelFutureListener.CLOSE);
        }
        finish(ExchangeResult.local(status, bytesIn, bytesOut));
    }

    void fail(ProxyException error, long bytesIn) {
        fail(error, Map.of(), bytesIn);
    }

    void fail(ProxyException error, Map<String, String> headers, long bytesIn) {
        FullHttpResponse response = ErrorResponses.of(ctx.alloc(), error);
        headers.forEach((name, value) -> response.headers().set(name, value));
        respond(response, bytesIn);
    }

    /** Answers with an error and closes: for when the rest of the request will not be read. */
    void failAndClose(ProxyException error, long bytesIn) {
        failAndClose(error, Map.of(), bytesIn);
    }

    void failAndClose(ProxyException error, Map<String, String> headers, long bytesIn) {
        keepAlive = false;
        fail(error, headers, bytesIn);
    }

    /** Records the policy's verdict for the access log and the observers. */
    void decided(Verdict verdict) {
        this.user = verdict.user();
        this.decision = verdict.decision();
        if (verdict instanceof Verdict.Deny deny) {
            decisionKind = FinishedRequest.Decision.REJECTED;
            rejectionCode = deny.error().code();
        } else {
            decisionKind = verdict instanceof Verdict.Answer
                    ? FinishedRequest.Decision.ANSWERED
                    : FinishedRequest.Decision.ALLOWED;
        }
    }

    /** The current request is for Sketchgate's own API. */
    void decidedApi() {
        decisionKind = FinishedRequest.Decision.API;
    }

    /** The current exchange has written its whole response (or given up); log it and move to the next request. */
    void finish(ExchangeResult result) {
        if (current == null) {
            return;
        }
        boolean reuse = keepAlive && current.requestComplete() && result.status() != 499;
        long durationNanos = System.nanoTime() - startNanos;
        AccessLog accessLog = listener.accessLog();
        if (accessLog.enabled()) { // with the log off, no line is built
            accessLog.record(new AccessLogEntry(
                    currentStart,
                    listener.name(),
                    clientAddress(),
                    user,
                    currentHead.method().name(),
                    currentUri,
                    result.status(),
                    result.bytesIn(),
                    result.bytesOut(),
                    result.upstream(),
                    result.upstreamMillis(),
                    durationNanos / 1_000_000,
                    decision));
        }
        listener.observer()
                .finished(new FinishedRequest(
                        user,
                        decisionKind,
                        rejectionCode,
                        result.status(),
                        result.bytesIn(),
                        result.bytesOut(),
                        result.upstreamMillis(),
                        durationNanos,
                        result.tookMillis()));
        listener.inFlight().finished();
        current = null;
        currentHead = null;
        currentUri = null;
        if (!reuse) {
            closed = true;
            inbound.forEach(ReferenceCountUtil::release);
            inbound.clear();
            return;
        }
        if (ctx.executor().inEventLoop()) {
            drain();
        } else {
            ctx.executor().execute(this::drain);
        }
    }

    /** Closes the connection after a response broke off midway; the client sees a truncated message. */
    void abort() {
        keepAlive = false;
        ctx.close();
    }

    // ---- internals ----

    private void drain() {
        while (!inbound.isEmpty() && !closed) {
            if (current == null) {
                HttpObject next = inbound.poll();
                if (next instanceof HttpRequest request) {
                    start(request);
                } else {
                    ReferenceCountUtil.release(next); // the rest of a body we already refused
                }
            } else if (current.wantsClientContent() && inbound.peek() instanceof HttpContent content) {
                inbound.poll();
                current.onClientContent(content);
            } else {
                break;
            }
        }
        readIfWanted();
    }

    private void readIfWanted() {
        if (readPending || closed || !inbound.isEmpty() || !ctx.channel().isActive()) {
            return;
        }
        if (current == null || current.wantsClientContent() || current.requestComplete()) {
            readPending = true;
            ctx.read();
        }
    }

    private void start(HttpRequest request) {
        requestsStarted++;
        currentHead = request;
        currentUri = request.uri(); // as the client sent it: the head itself is reused upstream
        currentStart = listener.accessLog().enabled() ? Instant.now() : null;
        startNanos = System.nanoTime();
        keepAlive = HttpUtil.isKeepAlive(request);
        user = "-";
        decision = "-";
        decisionKind = FinishedRequest.Decision.UNDECIDED;
        rejectionCode = null;
        listener.inFlight().started();
        current = RequestRouter.NOT_STARTED;
        if (request.decoderResult().isFailure()) {
            failAndClose(malformed(request.decoderResult().cause()), 0);
            return;
        }
        RequestPath path = RequestPath.parse(request.uri());
        if (HttpUtil.is100ContinueExpected(request)) {
            // Sketchgate answers the expectation itself, so it can refuse an oversized body before it is sent.
            if (RequestRouter.buffers(listener, path)
                    && HttpUtil.getContentLength(request, 0L)
                            > listener.limits().maxBodyBytes()) {
                failAndClose(BodyDecoder.tooLarge(listener.limits().maxBodyBytes(), "limits.max_body"), 0);
                return;
            }
            request.headers().remove(HttpHeaderNames.EXPECT);
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        RequestRouter.route(this, request, path);
    }

    private static ProxyException malformed(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return ErrorType.URI_TOO_LONG.exception(
                    "The request line is longer than limits.max_initial_line allows. Shorten the URL.");
        }
        if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            return ErrorType.HEADERS_TOO_LARGE.exception(
                    "The request headers are larger than limits.max_header_size allows. Send fewer or smaller headers.");
        }
        return ErrorType.ILLEGAL_ARGUMENT.exception("Malformed HTTP request: " + cause.getMessage());
    }

    private void echoOpaqueId(FullHttpResponse response) {
        String opaqueId = currentHead == null ? null : currentHead.headers().get(OPAQUE_ID);
        if (opaqueId != null) {
            response.headers().set(OPAQUE_ID, opaqueId);
        }
    }

    /** The client's IP address, as text; computed once per connection. */
    String clientAddress() {
        if (clientAddress == null) {
            clientAddress = describeRemote();
        }
        return clientAddress;
    }

    private String describeRemote() {
        SocketAddress address = ctx.channel().remoteAddress();
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() == null
                    ? inet.getHostString()
                    : inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    /** Called by a stage that finished with the body it buffered (the next stage owns a retained copy). */
    static void releaseQuietly(ByteBuf buf) {
        if (buf != null && buf.refCnt() > 0) {
            buf.release();
        }
    }
}
