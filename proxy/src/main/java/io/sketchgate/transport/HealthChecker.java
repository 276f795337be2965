package io.sketchgate.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every node of an upstream, every interval, for {@code GET /}. Any HTTP answer (even 401 or 405)
 * means the node is up; a failed connection or silence means down. Requests avoid down nodes.
 */
public final class HealthChecker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    private final Upstream upstream;
    private final EventLoopGroup group;
    private final Transport transport;
    private final Optional<SslContext> tls;
    private final int timeoutMillis;
    private final ScheduledFuture<?> schedule;

    public HealthChecker(
            Upstream upstream,
            EventLoopGroup group,
            Transport transport,
            Optional<SslContext> tls,
            Duration timeout,
            Duration interval) {
        this.upstream = upstream;
        this.group = group;
        this.transport = transport;
        this.tls = tls;
        this.timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        long every = Math.max(1, interval.toMillis());
        this.schedule = group.next().scheduleWithFixedDelay(this::checkAll, 0, every, TimeUnit.MILLISECONDS);
    }

    private void checkAll() {
        for (UpstreamNode node : upstream.nodes()) {
            check(node);
        }
    }

    private void check(UpstreamNode node) {
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(transport.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (node.tls() && tls.isPresent()) {
                            ch.pipeline().addLast(tls.get().newHandler(ch.alloc(), node.host(), node.port()));
                        }
                        ch.pipeline()
                                .addLast(new ReadTimeoutHandler(timeoutMillis, TimeUnit.MILLISECONDS))
                                .addLast(new HttpClientCodec())
                                .addLast(new SimpleChannelInboundHandler<HttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, HttpResponse msg) {
                                        if (!node.isUp()) {
                                            LOG.info("{} node {} is up again", upstream.name(), node);
                                        }
                                        node.markUp();
                                        ctx.close();
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        markDown(node, cause);
                                        ctx.close();
                                    }
                                });
                    }
                });
        bootstrap.connect(node.host(), node.port()).addListener((io.netty.channel.ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                markDown(node, f.cause());
                return;
            }
            DefaultFullHttpRequest probe =
                    new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, node.target("/"));
            probe.headers().set(HttpHeaderNames.HOST, node.host() + ":" + node.port());
            probe.headers().set(HttpHeaderNames.USER_AGENT, "sketchgate-health-check");
            f.channel().writeAndFlush(probe);
        });
    }

    private void markDown(UpstreamNode node, Throwable cause) {
        if (node.isUp()) {
            LOG.warn("{} node {} is down: {}", upstream.name(), node, ForwardExchange.describe(cause));
        }
        node.markDown(ForwardExchange.describe(cause));
    }

    @Override
    public void close() {
        schedule.cancel(false);
    }
}
