package io.sketchgate.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sketchgate.api.SketchgateApi;
import io.sketchgate.config.ElasticsearchConfig;
import io.sketchgate.config.IdentityConfig;
import io.sketchgate.config.IndexPattern;
import io.sketchgate.config.RoleConfig;
import io.sketchgate.config.RolesConfig;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.config.UsersConfig;
import io.sketchgate.es.ElasticsearchClients;
import io.sketchgate.pipeline.Governance;
import io.sketchgate.transport.AccessLog;
import io.sketchgate.transport.InFlightRequests;
import io.sketchgate.transport.ListenerContext;
import io.sketchgate.transport.ListenerPipeline;
import io.sketchgate.transport.RequestObserver;
import io.sketchgate.transport.RequestPolicy;
import io.sketchgate.transport.Transport;
import io.sketchgate.transport.Upstream;
import io.sketchgate.transport.UpstreamConnector;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up warm-up ({@code listeners.warmup}): before the real listeners bind, typical requests are replayed
 * through the real code on the real transport and event loops, so that the first minutes of traffic meet
 * compiled code instead of the interpreter. Everything it uses is throwaway and local: a listener on a free
 * loopback port, a stub upstream (also loopback) that answers like Elasticsearch, a policy built from the file's
 * roles with identity off (everyone gets the first role, so the governed path runs), fresh quotas, no metrics or
 * usage observer, and an access log to a temporary file that is deleted. The real cluster is never contacted and
 * nothing is counted.
 *
 * <p>The mix, repeated until {@link #MAX_REQUESTS} or {@link #BUDGET}, whichever comes first: a streamed
 * {@code GET _doc}, a Kibana Discover-style {@code POST _search} and a two-search {@code _msearch}. A few thousand
 * requests bring the hot path through C1 and much of it to C2; what is left compiles under real load.
 */
final class StartupWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(StartupWarmup.class);
    static final int MAX_REQUESTS = 6_000;
    /** Counted from the first request; setting up (policy, stub, first class loads) comes on top, about 1-2 s. */
    static final Duration BUDGET = Duration.ofSeconds(5);

    private static final String DEFAULT_INDEX = "sketchgate-warmup";

    private StartupWarmup() {}

    /** How many requests the warm-up sent, and how many were answered 200 (allowed, where a policy decides). */
    record Result(int requests, int ok) {
        static final Result NONE = new Result(0, 0);
    }

    /** Replays the mix. Never fails start-up: problems are logged. */
    static Result run(SketchgateConfig config, Transport transport, EventLoopGroup workers) {
        long start = System.nanoTime();
        String index = index(config);
        ChannelGroup channels = new DefaultChannelGroup("sketchgate-warmup", GlobalEventExecutor.INSTANCE);
        Path logDir = null;
        RestClient stubClient = null;
        AccessLog accessLog = null;
        Result done = Result.NONE;
        try {
            Channel stub = bindStub(transport, workers, index, channels);
            URI stubUri = URI.create("http://127.0.0.1:" + ((InetSocketAddress) stub.localAddress()).getPort());
            stubClient = ElasticsearchClients.create(
                    new ElasticsearchConfig(
                            List.of(stubUri),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Duration.ofHours(1)),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(10));
            if (config.accessLog().path().isPresent()) {
                logDir = Files.createTempDirectory("sketchgate-warmup");
                accessLog = AccessLog.open(Optional.of(logDir.resolve("access.jsonl")));
            } else {
                accessLog = AccessLog.open(Optional.empty());
            }
            Upstream upstream = new Upstream("elasticsearch", List.of(stubUri), 9200);
            ListenerContext context = new ListenerContext(
                    "elasticsearch",
                    "http",
                    upstream,
                    new UpstreamConnector(transport, Duration.ofSeconds(2), Optional.empty()),
                    config.limits(),
                    accessLog,
                    true,
                    SketchgateApi.builder(upstream).build(),
                    policy(config, stubClient, workers),
                    new InFlightRequests(),
                    RequestObserver.NONE);
            Channel listener = new ServerBootstrap()
                    .group(workers, workers)
                    .channel(transport.serverChannel())
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ListenerPipeline(context, Optional.empty(), channels))
                    .bind(InetAddress.getLoopbackAddress(), 0)
                    .sync()
                    .channel();
            channels.add(listener);
            done = replay(((InetSocketAddress) listener.localAddress()).getPort(), index);
        } catch (IOException | RuntimeException e) {
            LOG.warn("start-up warm-up stopped: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            channels.close().awaitUninterruptibly();
            if (accessLog != null) {
                accessLog.close();
            }
            closeQuietly(stubClient);
            deleteQuietly(logDir);
        }
        LOG.info(
                "start-up warm-up: {} requests ({} answered 200) in {} ms (listeners.warmup: off skips it)",
                done.requests(),
                done.ok(),
                (System.nanoTime() - start) / 1_000_000);
        return done;
    }

    /**
     * The policy the configuration asks for, made safe to exercise: identity off and every request given the first
     * role (as {@value IdentityConfig#OFF_ROLE}), so limits and time spans run without credentials; quotas fresh
     * and in memory; Elasticsearch calls (index resolution) answered by the stub.
     */
    private static RequestPolicy policy(SketchgateConfig config, RestClient stub, EventLoopGroup workers) {
        if (!config.identity().enabled() && config.roles().roles().isEmpty()) {
            return RequestPolicy.ALLOW_ALL;
        }
        SketchgateConfig warm = config.withIdentity(IdentityConfig.OFF, UsersConfig.NONE);
        Map<String, RoleConfig> roles = new LinkedHashMap<>(config.roles().roles());
        if (!roles.isEmpty() && !roles.containsKey(IdentityConfig.OFF_ROLE)) {
            RoleConfig first = roles.values().iterator().next();
            roles.put(
                    IdentityConfig.OFF_ROLE, new RoleConfig(IdentityConfig.OFF_ROLE, first.indices(), first.limits()));
        }
        SketchgateConfig governed = warm.withRoles(new RolesConfig(roles), config.indexTimeFields());
        return Governance.builder(governed, stub, Runnable::run, workers, Clock.systemUTC())
                .build()
                .policy();
    }

    /** An index the first role governs (its first pattern, wildcards filled in), else a made-up one. */
    static String index(SketchgateConfig config) {
        for (RoleConfig role : config.roles().roles().values()) {
            for (IndexPattern pattern : role.indices()) {
                String text = pattern.text();
                if (!text.startsWith("-") && !text.contains(":")) {
                    String name = text.replace("*", "warmup");
                    return name.startsWith(".") || name.equals("warmup") ? DEFAULT_INDEX : name;
                }
            }
        }
        return DEFAULT_INDEX;
    }

    private static Result replay(int port, String index) throws IOException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String query = "{\"size\":5,\"sort\":[{\"@timestamp\":{\"order\":\"desc\",\"unmapped_type\":\"boolean\"}}],"
                + "\"track_total_hits\":false,\"query\":{\"bool\":{\"filter\":[{\"range\":{\"@timestamp\":{\"gte\":\""
                + now.minus(Duration.ofMinutes(15)) + "\",\"lte\":\"" + now
                + "\",\"format\":\"strict_date_optional_time\"}}},{\"match_phrase\":{\"host.name\":\"web-01\"}}]}},"
                + "\"aggs\":{\"per_minute\":{\"date_histogram\":{\"field\":\"@timestamp\",\"fixed_interval\":\"1m\","
                + "\"time_zone\":\"UTC\",\"min_doc_count\":1}}}}";
        byte[][] requests = {
            request("GET", "/" + index + "/_doc/1", null, null),
            request("POST", "/" + index + "/_search", "application/json", query),
            request(
                    "POST",
                    "/_msearch",
                    "application/x-ndjson",
                    "{\"index\":\"" + index + "\"}\n" + query + "\n{\"index\":\"" + index + "\"}\n" + query + "\n"),
        };
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int done = 0;
        int ok = 0;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            while (done < MAX_REQUESTS && System.nanoTime() < deadline) {
                out.write(requests[done % requests.length]);
                out.flush();
                long answer = readHead(in);
                in.skipNBytes(answer & 0xFFFF_FFFFL);
                done++;
                if (answer >>> 32 == 200) {
                    ok++;
                }
            }
        }
        return new Result(done, ok);
    }

    private static byte[] request(String method, String path, String contentType, String body) {
        StringBuilder head = new StringBuilder(method)
                .append(' ')
                .append(path)
                .append(" HTTP/1.1\r\nHost: localhost\r\nUser-Agent: Kibana/8.19.7\r\n")
                .append("X-Elastic-Product-Origin: kibana\r\nX-Opaque-Id: sketchgate-warmup\r\n");
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            head.append("Content-Type: ")
                    .append(contentType)
                    .append("\r\nContent-Length: ")
                    .append(bytes.length)
                    .append("\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + bytes.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(bytes, 0, all, headBytes.length, bytes.length);
        return all;
    }

    /** Reads a response head; returns its status (high 32 bits) and Content-Length (every answer here has one). */
    private static long readHead(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        long status = 0;
        long length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the warm-up listener closed the connection");
            }
            if (b == '\n') {
                String text = line.toString().trim();
                line.setLength(0);
                if (text.isEmpty()) {
                    return status << 32 | length;
                }
                if (status == 0 && text.startsWith("HTTP/")) {
                    status = Integer.parseInt(text.substring(9, 12));
                } else if (text.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(text.substring(15).trim());
                }
            } else {
                line.append((char) b);
            }
        }
    }

    /** A stand-in for Elasticsearch on loopback: a search response for searches, the warm-up index for names. */
    private static Channel bindStub(Transport transport, EventLoopGroup workers, String index, ChannelGroup channels)
            throws InterruptedException {
        byte[] search = searchResponse(index);
        byte[] msearch = ("{\"took\":1,\"responses\":[" + new String(search, StandardCharsets.UTF_8) + ","
                        + new String(search, StandardCharsets.UTF_8) + "]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] resolved = ("{\"indices\":[{\"name\":\"" + index + "\",\"attributes\":[\"open\"]}],\"aliases\":[],"
                        + "\"data_streams\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        Channel channel = new ServerBootstrap()
                .group(workers, workers)
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(1 << 20))
                                .addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                                        String uri = request.uri();
                                        byte[] body = uri.contains("_resolve/index")
                                                ? resolved
                                                : uri.contains("_msearch") ? msearch : search;
                                        FullHttpResponse response = new DefaultFullHttpResponse(
                                                HttpVersion.HTTP_1_1,
                                                HttpResponseStatus.OK,
                                                Unpooled.wrappedBuffer(body));
                                        response.headers()
                                                .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                                .set("X-elastic-product", "Elasticsearch")
                                                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                                        ctx.writeAndFlush(response);
                                    }
                                });
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0)
                .sync()
                .channel();
        channels.add(channel);
        return channel;
    }

    private static byte[] searchResponse(String index) {
        StringBuilder json = new StringBuilder("{\"took\":3,\"timed_out\":false,\"_shards\":{\"total\":1,"
                + "\"successful\":1,\"skipped\":0,\"failed\":0},\"hits\":{\"max_score\":null,\"hits\":[");
        for (int i = 0; i < 5; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"_index\":\"")
                    .append(index)
                    .append("\",\"_id\":\"")
                    .append(i)
                    .append("\",\"_score\":null,\"_source\":{\"host\":{\"name\":\"web-01\"}},\"sort\":[")
                    .append(1_764_059_090_000L + i)
                    .append("]}");
        }
        json.append("]},\"aggregations\":{\"per_minute\":{\"buckets\":[");
        for (int i = 0; i < 15; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"key\":")
                    .append(1_764_059_400_000L + 60_000L * i)
                    .append(",\"doc_count\":")
                    .append(60 + i)
                    .append('}');
        }
        return json.append("]}}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(RestClient client) {
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                LOG.debug("closing the warm-up client", e);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.debug("deleting the warm-up access log", e);
        }
    }
}
