package io.sketchgate.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the time from the first byte of a request to the end of its headers ({@code limits.header_timeout}).
 * The idle timeout alone cannot stop a client that sends one header byte every few seconds (slowloris): it is
 * never idle. Sits before the HTTP decoder, so it sees raw bytes; the connection tells it when a head arrived.
 */
final class RequestHeadTimer extends ChannelInboundHandlerAdapter {
    private final ClientConnection client;
    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    private long armedForRequest = -1;

    RequestHeadTimer(ClientConnection client, Duration timeout) {
        this.client = client;
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long started = client.requestsStarted();
        if (client.awaitingHead() && armedForRequest != started) {
            // the first bytes of the next request: its head must be complete within the timeout
            cancel();
            armedForRequest = started;
            timer = ctx.executor().schedule(() -> expire(started), timeoutNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    private void expire(long request) {
        timer = null;
        if (client.awaitingHead() && client.requestsStarted() == request) {
            client.headTimedOut();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
