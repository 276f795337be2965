package io.sketchgate.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.sketchgate.config.ByteSizes;
import io.sketchgate.config.Durations;
import io.sketchgate.esapi.InspectedEndpoints;
import io.sketchgate.esapi.RequestPath;
import io.sketchgate.http.ErrorType;
import io.sketchgate.http.ProxyException;
import io.sketchgate.http.Verdict;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Relays one request to an upstream node and its response back, streaming both bodies with backpressure:
 * a chunk is read from one side only when the other side can take it. Headers pass unchanged in both
 * directions apart from hop-by-hop ones and the X-Forwarded-* headers added upstream.
 *
 * <p>Failures: a node that cannot be connected to is marked down and the next node is tried (nothing was
 * sent, so this is safe for any request). A connection that breaks before the first response byte is
 * retried once, on another node when there is one, if the request is idempotent and its body is known in full:
 * read before forwarding, or streamed and small enough that its chunks were kept (retained, not copied) until
 * the response began. No response byte within {@code limits.response_timeout} gives 504; an unreachable cluster 502.
 * All of these are Elasticsearch-shaped errors naming the node and what to check.
 */
final class ForwardExchange implements Exchange, BackendHandler.UpstreamListener {
    private static final long MAX_REWRITTEN_RESPONSE_BYTES = 256L << 20;
    /** How much of a response Sketchgate holds at most to rewrite its first bytes (ids come before any hit). */
    private static final int MAX_PREFIX_BYTES = 1 << 20;
    /**
     * The most of a streamed body kept for a retry. The chunks are Netty's own buffers, retained rather than
     * copied, and let go as soon as the response begins; a larger body streams on without them and is not retried.
     */
    static final int MAX_REPLAY_BYTES = 64 * 1024;

    private static final String IDENTITY_PREFIX = "x-sketchgate-";
    private final ClientConnection client;
    private final ListenerContext listener;
    private final HttpRequest head;
    private final String clientUri;
    private final boolean http11;
    private final RequestPath path;
    private final ByteBuf bufferedBody;
    private final Verdict.Allow verdict;
    private final Set<UpstreamNode> tried = new HashSet<>();

    private UpstreamNode node;
    private Channel backend;
    private boolean responseTimerArmed;
    private boolean headPrepared;
    private boolean hostAdded;
    private ScheduledFuture<?> executionDeadline;
    private OptionalLong took = OptionalLong.empty();
    private boolean outcomeReported;
    private HttpResponse heldHead;
    private CompositeByteBuf heldBody;
    private HttpResponse prefixHead;
    private CompositeByteBuf prefixBody;
    private boolean firstChunkSeen;
    private Throwable lastFailure;
    private long bytesIn;
    private long bytesOut;
    private long sentNanos;
    private int retries;
    private int responseStatus;
    private boolean clientBodyComplete;
    private boolean requestSent;
    /** A streamed body's first chunk (for a GET, its only, empty one), kept for a retry; null when none is kept. */
    private HttpContent replayFirst;
    /** The chunks after the first, rarely any: a search body usually arrives in one read. */
    private List<HttpContent> replayMore;

    private long replayBytes;
    /** A streamed body outgrew {@link #MAX_REPLAY_BYTES} (or is never resent): it cannot be sent again. */
    private boolean replayDropped;
    /** The node left before answering while the body was still coming; the retry waits for the rest of it. */
    private boolean retryPending;

    private boolean skippingInformational;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean upstreamKeepAlive;
    private boolean waitingForClient;
    private boolean finished;

    /**
     * @param path         the request's path, parsed once by the router
     * @param bufferedBody the whole request body when it was read before forwarding, else null (streamed)
     * @param verdict      the policy's permission, with what it adds to the exchange
     */
    ForwardExchange(
            ClientConnection client, HttpRequest head, RequestPath path, ByteBuf bufferedBody, Verdict.Allow verdict) {
        this.client = client;
        this.listener = client.listener();
        this.head = head;
        this.clientUri = head.uri();
        this.http11 = head.protocolVersion().equals(HttpVersion.HTTP_1_1);
        this.path = path;
        this.bufferedBody = bufferedBody;
        this.verdict = verdict;
        this.clientBodyComplete = bufferedBody != null;
        if (bufferedBody != null) {
            this.bytesIn = bufferedBody.readableBytes();
        }
        this.replayDropped = bufferedBody == null && !InspectedEndpoints.isIdempotent(head.method(), path);
    }

    void start() {
        verdict.executionLimit()
                .ifPresent(limit -> executionDeadline = client.channel()
                        .eventLoop()
                        .schedule(
                                () -> onExecutionLimit(limit), limit.duration().toMillis(), TimeUnit.MILLISECONDS));
        connect();
    }

    private void onExecutionLimit(Verdict.ExecutionLimit limit) {
        if (finished || responseStarted) {
            return;
        }
        failWith(limit.exceeded()); // 400, not 504: a retried 5xx would triple the load
    }

    // ---- client side ----

    @Override
    public boolean wantsClientContent() {
        return bufferedBody == null
                && !clientBodyComplete
                && !finished
                && (retryPending || (backend != null && backend.isWritable()));
    }

    @Override
    public void onClientContent(HttpContent content) {
        bytesIn += content.content().readableBytes();
        boolean last = content instanceof LastHttpContent;
        clientBodyComplete = last;
        if (retryPending) {
            collectForRetry(content);
            return;
        }
        if (finished || backend == null) {
            content.release();
            return;
        }
        keepForReplay(content);
        backend.writeAndFlush(content).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (last) {
            requestWritten();
        }
    }

    /** Keeps a retained duplicate of a streamed chunk while the request may still be resent. */
    private void keepForReplay(HttpContent content) {
        if (replayDropped) {
            return;
        }
        int size = content.content().readableBytes();
        if (responseStarted || replayBytes + size > MAX_REPLAY_BYTES) {
            dropReplay();
            return;
        }
        if (replayFirst == null) {
            replayFirst = content.retainedDuplicate();
        } else {
            if (replayMore == null) {
                replayMore = new ArrayList<>(4);
            }
            replayMore.add(content.retainedDuplicate());
        }
        replayBytes += size;
    }

    private void dropReplay() {
        replayDropped = true;
        releaseReplay();
    }

    private void releaseReplay() {
        if (replayFirst != null) {
            replayFirst.release();
            replayFirst = null;
        }
        if (replayMore != null) {
            replayMore.forEach(ReferenceCountUtil::release);
            replayMore = null;
        }
    }

    @Override
    public boolean requestComplete() {
        return clientBodyComplete;
    }

    @Override
    public void cancel() {
        if (finished) {
            return;
        }
        stop();
        reportOutcome(499);
    }

    @Override
    public void onClientWritable() {
        if (waitingForClient && backend != null) {
            waitingForClient = false;
            backend.read();
        }
    }

    // ---- upstream side ----

    private void connect() {
        var next = listener.upstream().choose(tried);
        if (next.isEmpty()) {
            failUnreachable();
            return;
        }
        node = next.get();
        tried.add(node);
        listener.connector().acquire(client.channel().eventLoop(), node).addListener(this::onAcquired);
    }

    private void onAcquired(Future<? super Channel> future) {
        if (finished) {
            if (future.isSuccess()) {
                ((Channel) future.getNow()).close();
            }
            return;
        }
        if (!future.isSuccess()) {
            lastFailure = future.cause();
            node.markDown(describe(future.cause()));
            connect();
            return;
        }
        backend = (Channel) future.getNow();
        backend.pipeline().get(BackendHandler.class).attach(this);
        sendHead();
    }

    private void sendHead() {
        sentNanos = System.nanoTime();
        backend.write(upstreamRequest()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (bufferedBody != null) {
            backend.write(new DefaultLastHttpContent(bufferedBody.retainedDuplicate()))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            requestWritten();
        } else if (retries > 0 && replayFirst != null) {
            // a retry of a streamed body, which is only made once the client sent all of it: the same chunks again
            backend.write(replayFirst.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            if (replayMore != null) {
                for (HttpContent chunk : replayMore) {
                    backend.write(chunk.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                }
            }
            requestWritten();
        }
        backend.flush();
        backend.read();
        client.resume(); // streamed bodies flow from here on
    }

    /**
     * The client's request head, made the upstream one in place (no copy of its headers): hop-by-hop and identity
     * headers removed, X-Forwarded-* added, the target prefixed with the node's base path. The header changes are
     * made once, so a retry sends the same head again; only the target depends on the node.
     */
    private HttpRequest upstreamRequest() {
        head.setUri(node.target(verdict.uri().orElse(clientUri))); // ids unwrapped by policy
        if (headPrepared) {
            if (hostAdded) {
                head.headers().set(HttpHeaderNames.HOST, node.authority()); // a retry may go to another node
            }
            return head;
        }
        headPrepared = true;
        HttpHeaders headers = head.headers();
        String forwardedFor = headers.get("X-Forwarded-For");
        String host = headers.get(HttpHeaderNames.HOST);
        HopByHopHeaders.strip(headers);
        stripIdentityHeaders(headers);
        if (verdict.responseRewrite().isPresent() || verdict.responsePrefix().isPresent()) {
            headers.remove(HttpHeaderNames.ACCEPT_ENCODING); // the response is read and rewritten: keep it plain
        }
        String clientIp = client.clientAddress();
        headers.set("X-Forwarded-For", forwardedFor == null ? clientIp : forwardedFor + ", " + clientIp);
        headers.set("X-Forwarded-Proto", listener.scheme());
        if (host != null && !headers.contains("X-Forwarded-Host")) {
            headers.set("X-Forwarded-Host", host);
        }
        if (!http11) {
            head.setProtocolVersion(HttpVersion.HTTP_1_1);
            if (!headers.contains(HttpHeaderNames.HOST)) {
                hostAdded = true;
                headers.set(HttpHeaderNames.HOST, node.authority());
            }
        }
        return head;
    }

    private void requestWritten() {
        requestSent = true;
        responseTimerArmed = true;
        client.timer().arm(listener.limits().responseTimeout().toNanos(), this::onResponseTimeout);
    }

    @Override
    public void onUpstreamMessage(HttpObject message) {
        if (finished) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpResponse response) {
            if (isInformational(response)) {
                skippingInformational = true; // we answered Expect: 100-continue ourselves
            } else {
                onResponseHead(response);
            }
        }
        if (message instanceof HttpContent content) {
            if (skippingInformational) {
                content.release();
                skippingInformational = !(content instanceof LastHttpContent);
                backend.read();
                return;
            }
            onResponseContent(content);
        } else if (skippingInformational) {
            backend.read();
        }
    }

    private void onResponseHead(HttpResponse response) {
        cancelTimeout();
        responseStarted = true;
        dropReplay(); // with a response under way, the request is never sent again
        responseStatus = response.status().code();
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        HopByHopHeaders.strip(response.headers());
        if (!HttpUtil.isContentLengthSet(response)
                && !HttpUtil.isTransferEncodingChunked(response)
                && mayHaveBody(response)) {
            // The node delimits this body by closing; the client gets it chunked so the connection survives.
            HttpUtil.setTransferEncodingChunked(response, true);
        }
        HttpUtil.setKeepAlive(response, client.keepAlive() && clientBodyComplete);
        verdict.responseHeaders().forEach((name, value) -> response.headers().add(name, value));
        if (verdict.responseRewrite().isPresent() && responseStatus == 200) {
            heldHead = response; // written once the whole body is in and rewritten
            heldBody = client.alloc().compositeBuffer(Integer.MAX_VALUE);
            backend.read();
            return;
        }
        if (verdict.responsePrefix().isPresent() && responseStatus == 200 && mayHaveBody(response)) {
            prefixHead = response; // written once its first bytes are in and rewritten
            prefixBody = client.alloc().compositeBuffer(Integer.MAX_VALUE);
            backend.read();
            return;
        }
        // Written now, flushed with the last content or at the end of this upstream read (onUpstreamReadComplete):
        // a small response then costs one write to the client instead of one per part.
        client.channel().write(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        readUpstreamWhenClientCanTakeIt();
    }

    private void onResponseContent(HttpContent content) {
        if (!firstChunkSeen && content.content().isReadable()) {
            firstChunkSeen = true;
            took = TookSniffer.took(content.content());
            verdict.firstBodyChunk()
                    .ifPresent(observer -> observer.accept(content.content().duplicate()));
        }
        if (heldHead != null) {
            holdForRewrite(content);
            return;
        }
        if (prefixHead != null) {
            holdPrefix(content);
            return;
        }
        bytesOut += content.content().readableBytes();
        if (content instanceof LastHttpContent) {
            responseComplete = true;
            client.channel().writeAndFlush(content).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            complete();
            return;
        }
        client.channel().write(content).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        readUpstreamWhenClientCanTakeIt();
    }

    /** Buffers a response that the policy rewrites; bounded, since a rewrite needs the whole JSON. */
    private void holdForRewrite(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if ((long) heldBody.readableBytes() + content.content().readableBytes() > MAX_REWRITTEN_RESPONSE_BYTES) {
            content.release();
            heldBody.release();
            heldHead = null;
            failWith(ErrorType.RESPONSE_TOO_LARGE.exception(
                    "The response is larger than the " + ByteSizes.format(MAX_REWRITTEN_RESPONSE_BYTES)
                            + " Sketchgate can" + " merge. Send fewer searches in one _msearch, or smaller ones."));
            return;
        }
        heldBody.addComponent(true, content.content().retain());
        content.release();
        if (!last) {
            backend.read();
            return;
        }
        byte[] original = new byte[heldBody.readableBytes()];
        heldBody.getBytes(heldBody.readerIndex(), original);
        heldBody.release();
        byte[] rewritten = verdict.responseRewrite().get().apply(original);
        HttpResponse head = heldHead;
        heldHead = null;
        head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        head.headers().remove(HttpHeaderNames.CONTENT_ENCODING);
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, rewritten.length);
        FullHttpResponse full = new DefaultFullHttpResponse(
                head.protocolVersion(),
                head.status(),
                Unpooled.wrappedBuffer(rewritten),
                head.headers(),
                EmptyHttpHeaders.INSTANCE);
        bytesOut = rewritten.length;
        responseComplete = true;
        client.channel().writeAndFlush(full).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        complete();
    }

    /** Holds the first bytes until the policy's prefix rewrite can decide, then streams on. */
    private void holdPrefix(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        prefixBody.addComponent(true, content.content().retain());
        content.release();
        byte[] original = new byte[prefixBody.readableBytes()];
        prefixBody.getBytes(prefixBody.readerIndex(), original);
        byte[] rewritten = verdict.responsePrefix().get().apply(original, last || original.length >= MAX_PREFIX_BYTES);
        if (rewritten == null) {
            backend.read();
            return;
        }
        prefixBody.release();
        prefixBody = null;
        HttpResponse response = prefixHead;
        prefixHead = null;
        if (HttpUtil.isContentLengthSet(response)) {
            long length = HttpUtil.getContentLength(response) + rewritten.length - original.length;
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        }
        client.channel().write(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        bytesOut += rewritten.length;
        ByteBuf bytes = Unpooled.wrappedBuffer(rewritten);
        if (last) {
            responseComplete = true;
            client.channel()
                    .writeAndFlush(new DefaultLastHttpContent(bytes))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            complete();
            return;
        }
        client.channel()
                .write(new io.netty.handler.codec.http.DefaultHttpContent(bytes))
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        readUpstreamWhenClientCanTakeIt();
    }

    @Override
    public void onUpstreamReadComplete() {
        if (!finished) {
            client.channel().flush();
        }
    }

    private void readUpstreamWhenClientCanTakeIt() {
        if (client.channel().isWritable()) {
            backend.read();
        } else {
            waitingForClient = true;
        }
    }

    @Override
    public void onUpstreamClosed() {
        onUpstreamFailure(new ClosedChannelException());
    }

    @Override
    public void onUpstreamError(Throwable cause) {
        onUpstreamFailure(cause);
    }

    @Override
    public void onUpstreamWritable() {
        client.resume();
    }

    private void onUpstreamFailure(Throwable cause) {
        if (finished || responseComplete) {
            return;
        }
        cancelTimeout();
        lastFailure = cause;
        if (responseStarted) {
            // Part of the response is already with the client: the only honest signal left is to close.
            stop();
            reportOutcome(502);
            client.finish(
                    new ExchangeResult(502, bytesIn, bytesOut, node.toString(), elapsedMillis(), took.orElse(-1)));
            client.abort();
            return;
        }
        if (canRetry()) {
            retries++;
            closeBackend();
            requestSent = false;
            if (bufferedBody == null && !clientBodyComplete) {
                // the node left while the body was still coming: take the rest of it, then send it all again
                retryPending = true;
                client.resume();
                return;
            }
            retry();
            return;
        }
        failWith(closedBeforeAnswering());
    }

    private void retry() {
        if (listener.upstream().choose(tried).isEmpty()) {
            tried.clear(); // a single node: retry it on a fresh connection
        }
        connect();
    }

    /** The rest of a streamed body, after the node left: kept with what came before, then the retry goes. */
    private void collectForRetry(HttpContent content) {
        keepForReplay(content);
        content.release();
        if (replayDropped) { // too large to keep after all
            retryPending = false;
            failWith(closedBeforeAnswering());
        } else if (clientBodyComplete) {
            retryPending = false;
            retry();
        }
    }

    private ProxyException closedBeforeAnswering() {
        return ErrorType.UPSTREAM.exception("The Elasticsearch node " + node
                + " closed the connection before answering (" + describe(lastFailure) + ")."
                + " Check the node's log and health; Sketchgate retries such requests once only when they"
                + " are idempotent.");
    }

    /** Once per request, if it is idempotent and its whole body can be sent again (read, or kept from streaming). */
    private boolean canRetry() {
        boolean replayable = bufferedBody != null || !replayDropped;
        return retries == 0 && replayable && InspectedEndpoints.isIdempotent(head.method(), path);
    }

    private void onResponseTimeout() {
        if (finished || responseStarted) {
            return;
        }
        failWith(ErrorType.UPSTREAM_TIMEOUT.exception(
                "The Elasticsearch node " + node + " did not start answering within "
                        + Durations.format(listener.limits().responseTimeout()) + " (limits.response_timeout)."
                        + " Narrow the query or its time range, or check the cluster's load."));
    }

    private void failUnreachable() {
        String why = lastFailure == null ? "no node configured" : describe(lastFailure);
        failWith(ErrorType.UPSTREAM_UNAVAILABLE.exception(
                "Sketchgate could not reach any " + listener.upstream().name() + " node "
                        + listener.upstream().describe() + " (" + why
                        + "). Check that the cluster is running and that the hosts in sketchgate.yml are right."));
    }

    private void failWith(ProxyException error) {
        if (finished) {
            return;
        }
        stop();
        reportOutcome(error.status().code());
        if (clientBodyComplete) {
            client.fail(error, bytesIn);
        } else {
            client.failAndClose(error, bytesIn);
        }
    }

    private void complete() {
        finished = true;
        cancelTimeout();
        boolean reusable = requestSent && clientBodyComplete && upstreamKeepAlive;
        if (reusable) {
            listener.connector().release(node, backend);
            backend = null;
        } else {
            closeBackend();
        }
        ClientConnection.releaseQuietly(bufferedBody);
        releaseReplay();
        reportOutcome(responseStatus);
        client.finish(new ExchangeResult(
                responseStatus, bytesIn, bytesOut, node.toString(), elapsedMillis(), took.orElse(-1)));
    }

    /** Ends the exchange's upstream side: no more callbacks, timers or buffers. */
    private void stop() {
        finished = true;
        if (heldBody != null && heldBody.refCnt() > 0) {
            heldBody.release();
        }
        if (prefixBody != null && prefixBody.refCnt() > 0) {
            prefixBody.release();
        }
        cancelTimeout();
        closeBackend();
        ClientConnection.releaseQuietly(bufferedBody);
        releaseReplay();
    }

    /** Tells the policy once how the exchange ended (releases its quotas, records Elasticsearch time). */
    private void reportOutcome(int status) {
        if (!outcomeReported) {
            outcomeReported = true;
            if (executionDeadline != null) {
                executionDeadline.cancel(false);
            }
            verdict.onFinished().accept(new Verdict.Outcome(status, took));
        }
    }

    private static void stripIdentityHeaders(HttpHeaders headers) {
        // one pass over the entries, no set of all names: this runs for every forwarded request
        List<CharSequence> identity = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (AsciiString.regionMatches(name, true, 0, IDENTITY_PREFIX, 0, IDENTITY_PREFIX.length())) {
                if (identity == null) {
                    identity = new ArrayList<>(4);
                }
                identity.add(name);
            }
        }
        if (identity != null) {
            identity.forEach(headers::remove);
        }
    }

    /** Closing the HTTP connection is also how Elasticsearch learns to cancel a running search. */
    private void closeBackend() {
        if (backend != null) {
            backend.pipeline().get(BackendHandler.class).detach();
            backend.close();
            backend = null;
        }
    }

    private long elapsedMillis() {
        return sentNanos == 0 ? -1 : (System.nanoTime() - sentNanos) / 1_000_000;
    }

    private void cancelTimeout() {
        if (responseTimerArmed) {
            responseTimerArmed = false;
            client.timer().disarm();
        }
    }

    private static boolean isInformational(HttpResponse response) {
        int code = response.status().code();
        return code >= 100 && code < 200 && code != 101;
    }

    private boolean mayHaveBody(HttpResponse response) {
        int code = response.status().code();
        return !head.method().equals(HttpMethod.HEAD) && code != 204 && code != 304;
    }

    static String describe(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "connect timed out"; // a subclass of ConnectException, so tested first
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof ClosedChannelException) {
            return "connection closed";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
