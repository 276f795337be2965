package io.sketchgate.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Opens and reuses keep-alive connections to upstream nodes. Connections are kept per event loop, so a
 * client connection and its upstream connection share one thread and the pool needs no locking.
 */
public final class UpstreamConnector {
    static final int MAX_UPSTREAM_HEADER_BYTES = 64 * 1024;
    private static final int MAX_IDLE_PER_NODE = 64;
    private static final long IDLE_CLOSE_SECONDS = 60;

    private final Transport transport;
    private final int connectTimeoutMillis;
    private final Optional<SslContext> tls;
    private final FastThreadLocal<Map<UpstreamNode, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<UpstreamNode, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };

    public UpstreamConnector(Transport transport, Duration connectTimeout, Optional<SslContext> tls) {
        this.transport = transport;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.tls = tls;
    }

    /** An idle pooled connection to {@code node} if one is open, else a new one. Call on {@code loop}. */
    Future<Channel> acquire(EventLoop loop, UpstreamNode node) {
        Promise<Channel> promise = loop.newPromise();
        ArrayDeque<Channel> pool = idle.get().get(node);
        while (pool != null && !pool.isEmpty()) {
            Channel channel = pool.pollLast();
            if (channel.isActive()) {
                return promise.setSuccess(channel);
            }
        }
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (node.tls()) {
                            SslContext context =
                                    tls.orElseThrow(() -> new IllegalStateException("no TLS context for " + node));
                            ch.pipeline().addLast("tls", context.newHandler(ch.alloc(), node.host(), node.port()));
                        }
                        ch.pipeline()
                                .addLast("http", new HttpClientCodec(4096, MAX_UPSTREAM_HEADER_BYTES, 64 * 1024))
                                .addLast("idle", new IdleStateHandler(0, 0, IDLE_CLOSE_SECONDS, TimeUnit.SECONDS))
                                .addLast("backend", new BackendHandler());
                    }
                });
        ChannelFuture connect = bootstrap.connect(node.host(), node.port());
        connect.addListener(f -> {
            if (f.isSuccess()) {
                Channel channel = connect.channel();
                channel.closeFuture().addListener(closed -> forget(node, channel));
                promise.setSuccess(channel);
            } else {
                promise.setFailure(f.cause());
            }
        });
        return promise;
    }

    /** Returns a connection whose exchange finished cleanly; it is reused by the next request on this loop. */
    void release(UpstreamNode node, Channel channel) {
        channel.pipeline().get(BackendHandler.class).detach();
        if (!channel.isActive()) {
            return;
        }
        ArrayDeque<Channel> pool = idle.get().computeIfAbsent(node, n -> new ArrayDeque<>());
        if (pool.size() >= MAX_IDLE_PER_NODE) {
            channel.close();
            return;
        }
        pool.addLast(channel);
        channel.read(); // notices a close by the node while the connection sits idle
    }

    private void forget(UpstreamNode node, Channel channel) {
        ArrayDeque<Channel> pool = idle.get().get(node);
        if (pool != null) {
            pool.remove(channel);
        }
    }
}
