package io.sketchgate.transport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The request path of one listener, one stage per line. */
public final class ListenerPipeline extends ChannelInitializer<SocketChannel> {
    private static final int MAX_CHUNK_BYTES = 64 * 1024;

    private final ListenerContext listener;
    private final Optional<SslContext> tls;
    private final ChannelGroup openChannels;
    private final ConnectionLimit connections;

    public ListenerPipeline(ListenerContext listener, Optional<SslContext> tls, ChannelGroup openChannels) {
        this.listener = listener;
        this.tls = tls;
        this.openChannels = openChannels;
        this.connections =
                new ConnectionLimit(listener.name(), listener.limits().maxConnections());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        openChannels.add(ch);
        if (!connections.admit(ch)) {
            return;
        }
        ChannelPipeline pipeline = ch.pipeline();
        ClientConnection client = new ClientConnection(listener);
        tls.ifPresent(context -> pipeline.addLast("tls", context.newHandler(ch.alloc()))); // optional TLS
        pipeline.addLast(
                "idle",
                new IdleStateHandler(
                        0,
                        0, // drop idle keep-alive connections
                        listener.limits().idleTimeout().toMillis(),
                        TimeUnit.MILLISECONDS));
        pipeline.addLast(
                "head-timer", new RequestHeadTimer(client, listener.limits().headerTimeout())); // slow headers: 408
        pipeline.addLast(
                "http",
                new HttpServerCodec(
                        listener.limits().maxInitialLineBytes(), // HTTP/1.1 framing within limits
                        listener.limits().maxHeaderBytes(),
                        MAX_CHUNK_BYTES));
        pipeline.addLast("client", client); // route: Sketchgate API | inspect | stream upstream
    }
}
