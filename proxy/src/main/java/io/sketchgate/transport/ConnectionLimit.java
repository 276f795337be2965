package io.sketchgate.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.sketchgate.http.ErrorResponses;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code limits.max_connections} open client connections per listener, so idle or abusive clients cannot
 * exhaust file descriptors and memory. One more is answered 429 with {@code Retry-After} in Elasticsearch's error
 * shape and closed: 429, not 503, because Kibana's client retries a 503 on other nodes and then marks the node dead,
 * while a 429 is Elasticsearch's own "too busy, retry later".
 */
final class ConnectionLimit {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
    private static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final String listener;
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
    private final byte[] refusal;

    ConnectionLimit(String listener, int max) {
        this.listener = listener;
        this.max = max;
        String body = ErrorResponses.body(
                        429,
                        "sketchgate_too_many_connections_exception",
                        "Sketchgate's " + listener + " listener already has " + max + " open connections"
                                + " (limits.max_connections). Retry later, reuse connections, or raise the limit.")
                .toString();
        byte[] json = body.getBytes(StandardCharsets.UTF_8);
        this.refusal = ("HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\ncontent-length: "
                        + json.length
                        + "\r\nX-elastic-product: Elasticsearch\r\nRetry-After: 1\r\nconnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Counts the new connection, or refuses it and returns false. */
    boolean admit(Channel channel) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            warn();
            channel.writeAndFlush(Unpooled.wrappedBuffer(refusal)).addListener(ChannelFutureListener.CLOSE);
            return false;
        }
        channel.closeFuture().addListener(future -> open.decrementAndGet());
        return true;
    }

    int open() {
        return open.get();
    }

    private void warn() {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("{} listener: refusing connections beyond limits.max_connections={}", listener, max);
        }
    }
}
