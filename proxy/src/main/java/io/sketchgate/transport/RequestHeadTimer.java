package io.sketchgate.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;

/**
 * Bounds the time from the first byte of a request to the end of its headers ({@code limits.header_timeout}).
 * The idle timeout alone cannot stop a client that sends one header byte every few seconds (slowloris): it is
 * never idle. Sits before the HTTP decoder, so it sees raw bytes; the connection tells it when a head arrived.
 * The deadline lives in the connection's one {@link ConnectionTimer}: no task is scheduled per request.
 */
final class RequestHeadTimer extends ChannelInboundHandlerAdapter {
    private final ClientConnection client;
    private final long timeoutNanos;
    private final Runnable expire = this::expire;
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
            armedForRequest = started;
            client.timer().arm(timeoutNanos, expire);
        }
        ctx.fireChannelRead(msg);
    }

    private void expire() {
        if (client.awaitingHead() && client.requestsStarted() == armedForRequest) {
            client.headTimedOut();
        }
    }
}
