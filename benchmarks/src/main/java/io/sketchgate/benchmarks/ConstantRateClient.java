package io.sketchgate.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * An open-loop HTTP/1.1 load generator in the manner of wrk2: each of {@code connections} keep-alive
 * connections sends on a fixed schedule ({@code rate / connections} requests per second, start times
 * staggered), and every latency is measured from the request's <em>intended</em> send time, not from when it
 * could actually be sent. A slow response therefore delays the next request on its connection and that
 * delay is counted, which is what avoids coordinated omission.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.sketchgate.benchmarks.ConstantRateClient --url URL --rate N
 * [--connections C] [--duration S] [--warmup S] [--threads T] [--method M] [--body-file F]
 * [--content-type T] [--headers-file F]} ({@code F}: one {@code Name: value} header per line). Prints a human summary and one line starting with {@code RESULT} of key=value pairs.
 */
public final class ConstantRateClient {
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final URI url;
    private final double rate;
    private final int connections;
    private final long warmupNanos;
    private final long durationNanos;
    private final ByteBuf request;
    private final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    private long completed;
    private long errors;
    private long lateSends;
    private long measureStart;
    private long measureEnd;
    private int outstanding;

    private ConstantRateClient(
            URI url, double rate, int connections, long warmupNanos, long durationNanos, ByteBuf request) {
        this.url = url;
        this.rate = rate;
        this.connections = connections;
        this.warmupNanos = warmupNanos;
        this.durationNanos = durationNanos;
        this.request = request;
    }

    public static void main(String[] args) throws Exception {
        String url = null;
        double rate = 0;
        int connections = 64;
        int threads = 1;
        double duration = 15;
        double warmup = 5;
        String method = "GET";
        String bodyFile = null;
        String contentType = "application/json";
        String headersFile = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--url" -> url = value;
                case "--rate" -> rate = Double.parseDouble(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--duration" -> duration = Double.parseDouble(value);
                case "--warmup" -> warmup = Double.parseDouble(value);
                case "--method" -> method = value;
                case "--body-file" -> bodyFile = value;
                case "--content-type" -> contentType = value;
                case "--headers-file" -> headersFile = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (url == null || rate <= 0) {
            throw new IllegalArgumentException("--url and a positive --rate are required");
        }
        URI uri = URI.create(url);
        byte[] body = bodyFile == null ? new byte[0] : Files.readAllBytes(Path.of(bodyFile));
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        StringBuilder head = new StringBuilder()
                .append(method)
                .append(' ')
                .append(path)
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(uri.getHost())
                .append(':')
                .append(uri.getPort())
                .append("\r\n")
                .append("User-Agent: sketchgate-constant-rate\r\n")
                .append("Accept: application/json\r\n");
        if (headersFile != null) {
            for (String line : Files.readAllLines(Path.of(headersFile), StandardCharsets.US_ASCII)) {
                if (line.contains(":")) {
                    head.append(line.strip()).append("\r\n");
                }
            }
        }
        if (body.length > 0 || !method.equals("GET")) {
            head.append("Content-Type: ")
                    .append(contentType)
                    .append("\r\n")
                    .append("Content-Length: ")
                    .append(body.length)
                    .append("\r\n");
        }
        head.append("\r\n");
        ByteBuf request = Unpooled.unreleasableBuffer(Unpooled.directBuffer()
                .writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII))
                .writeBytes(body));
        new ConstantRateClient(uri, rate, connections, (long) (warmup * 1e9), (long) (duration * 1e9), request)
                .run(threads);
    }

    private void run(int threads) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try {
            long intervalNanos = (long) (connections / rate * 1e9);
            List<Sender> senders = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                senders.add(new Sender(i, intervalNanos));
            }
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true);
            List<Channel> channels = new ArrayList<>();
            for (Sender sender : senders) {
                Channel channel = bootstrap
                        .clone()
                        .handler(new ChannelInitializer<>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(new HttpResponseDecoder(), sender);
                            }
                        })
                        .connect(url.getHost(), url.getPort())
                        .sync()
                        .channel();
                channels.add(channel);
            }
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            synchronized (this) {
                measureStart = start + warmupNanos;
                measureEnd = measureStart + durationNanos;
            }
            for (int i = 0; i < senders.size(); i++) {
                senders.get(i).begin(channels.get(i), start + intervalNanos * i / connections);
            }
            long end = measureEnd;
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) + 1);
            long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < drainDeadline) {
                synchronized (this) {
                    if (outstanding == 0) {
                        break;
                    }
                }
                Thread.sleep(5);
            }
            channels.forEach(Channel::close);
            report(epoll);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private synchronized void record(long intended, long now, boolean ok) {
        if (intended >= measureStart && intended < measureEnd) {
            histogram.recordValue(Math.min(now - intended, HIGHEST_TRACKABLE_NANOS));
            completed++;
            if (!ok) {
                errors++;
            }
        }
    }

    private synchronized void report(boolean epoll) {
        double seconds = durationNanos / 1e9;
        String result = String.format(
                Locale.ROOT,
                "RESULT requests=%d errors=%d unanswered=%d late_sends=%d target_rps=%.1f rps=%.1f p50_ms=%.3f p90_ms=%.3f"
                        + " p99_ms=%.3f p999_ms=%.3f max_ms=%.3f",
                completed,
                errors,
                outstanding,
                lateSends,
                rate,
                completed / seconds,
                ms(50),
                ms(90),
                ms(99),
                ms(99.9),
                histogram.getMaxValue() / 1e6);
        System.out.printf(
                Locale.ROOT,
                "constant rate %.0f req/s over %d connections (%s), %.0f s measured%n",
                rate,
                connections,
                epoll ? "epoll" : "nio",
                seconds);
        System.out.println(result);
    }

    private double ms(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }

    /** One connection's schedule: the next request is due {@code intervalNanos} after the previous one was due. */
    private final class Sender extends SimpleChannelInboundHandler<HttpObject> {
        private final long intervalNanos;
        private Channel channel;
        private EventLoop loop;
        private long intended;
        private boolean inFlight;
        private boolean ok;

        Sender(int index, long intervalNanos) {
            this.intervalNanos = intervalNanos;
        }

        void begin(Channel channel, long firstIntended) {
            this.channel = channel;
            this.loop = channel.eventLoop();
            this.intended = firstIntended;
            loop.execute(this::sendWhenDue);
        }

        private void sendWhenDue() {
            if (intended >= measureEnd || !channel.isActive()) {
                return;
            }
            long wait = intended - System.nanoTime();
            if (wait > 20_000) {
                loop.schedule(this::send, wait, TimeUnit.NANOSECONDS);
            } else {
                if (wait < -1_000_000) {
                    synchronized (ConstantRateClient.this) {
                        lateSends++;
                    }
                }
                send();
            }
        }

        private void send() {
            inFlight = true;
            ok = true;
            synchronized (ConstantRateClient.this) {
                outstanding++;
            }
            channel.writeAndFlush(request.duplicate());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse response) {
                ok = response.status().code() / 100 == 2
                        && response.decoderResult().isSuccess();
            }
            if (msg instanceof LastHttpContent) {
                done(ok);
            }
        }

        private void done(boolean success) {
            if (!inFlight) {
                return;
            }
            inFlight = false;
            long now = System.nanoTime();
            synchronized (ConstantRateClient.this) {
                outstanding--;
            }
            record(intended, now, success);
            intended += intervalNanos;
            sendWhenDue();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (inFlight) {
                done(false);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
