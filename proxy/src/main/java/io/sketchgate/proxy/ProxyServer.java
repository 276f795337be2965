package io.sketchgate.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sketchgate.config.KibanaListenerConfig;
import io.sketchgate.config.LimitsConfig;
import io.sketchgate.config.ListenerConfig;
import io.sketchgate.config.ServerTlsConfig;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.es.ElasticsearchClients;
import io.sketchgate.policy.PolicyEngine;
import io.sketchgate.uniques.UvQueries;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The running proxy: its listeners, upstream pools, health checks and access log. Start one per process. */
public final class ProxyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);
    private static final int ES_DEFAULT_PORT = 9200;
    private static final int KIBANA_DEFAULT_PORT = 5601;

    private final SketchgateConfig config;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ChannelGroup openChannels = new DefaultChannelGroup("sketchgate", GlobalEventExecutor.INSTANCE);
    private final List<Channel> serverChannels = new ArrayList<>();
    private final List<HealthChecker> healthCheckers = new ArrayList<>();
    private final InFlightRequests inFlight = new InFlightRequests();
    private final AccessLog accessLog;
    private final RestClient ownClient;
    private final ExecutorService passwordChecks;
    private final Optional<UvQueries> uniqueCounts;
    private InetSocketAddress elasticsearchAddress;
    private InetSocketAddress kibanaAddress;
    private boolean closed;

    private ProxyServer(SketchgateConfig config, Transport transport, Optional<UvQueries> uniqueCounts)
            throws IOException {
        this.config = config;
        this.uniqueCounts = uniqueCounts;
        this.bossGroup = transport.newGroup(1, "sketchgate-accept");
        this.workerGroup = transport.newGroup(Runtime.getRuntime().availableProcessors(), "sketchgate-io");
        this.accessLog = AccessLog.open(config.accessLog().path());
        this.ownClient = ElasticsearchClients.create(config.elasticsearch(), config.limits().connectTimeout(),
                config.limits().responseTimeout());
        // bcrypt is slow on purpose: it never runs on an event loop
        this.passwordChecks = Executors.newFixedThreadPool(2, new DefaultThreadFactory("sketchgate-passwords", true));
    }

    /** A proxy without a unique-count engine: no search is answered from the unique-count indices. */
    public static ProxyServer start(SketchgateConfig config) throws InterruptedException {
        return start(config, Optional.empty());
    }

    /**
     * @param uniqueCounts the engine that answers unique-count questions; the Kibana rewrite
     *                     ({@code kibana_rewrite} of a definition) uses it when present
     */
    public static ProxyServer start(SketchgateConfig config, Optional<UvQueries> uniqueCounts)
            throws InterruptedException {
        Transport transport = Transport.detect();
        ProxyServer server;
        try {
            server = new ProxyServer(config, transport, uniqueCounts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the access log: " + e.getMessage(), e);
        }
        try {
            server.bindListeners(transport);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e instanceof IOException io ? new UncheckedIOException(io.getMessage(), io) : (RuntimeException) e;
        }
        return server;
    }

    private void bindListeners(Transport transport) throws IOException, InterruptedException {
        LimitsConfig limits = config.limits();
        Upstream elasticsearch = new Upstream("elasticsearch", config.elasticsearch().hosts(), ES_DEFAULT_PORT);
        Optional<SslContext> esTls = clientTls(elasticsearch, config.elasticsearch().tls());
        healthCheckers.add(new HealthChecker(elasticsearch, workerGroup, transport, esTls, limits.connectTimeout(),
                config.elasticsearch().healthCheckInterval()));
        ListenerConfig esListener = config.listeners().elasticsearch();
        RequestPolicy policy = PolicyEngine.create(config, ownClient, passwordChecks, workerGroup, uniqueCounts,
                Clock.systemUTC());
        SketchgateApi api = SketchgateApi.builder(elasticsearch)
                .authenticator(policy::authenticate)
                .build();
        ListenerContext esContext = new ListenerContext("elasticsearch", scheme(esListener.tls()), elasticsearch,
                new UpstreamConnector(transport, limits.connectTimeout(), esTls), limits, accessLog, true,
                api, policy, inFlight);
        elasticsearchAddress = bind(transport, esContext, esListener.host(), esListener.port(), esListener.tls());
        log.info("Elasticsearch-facing listener on {} forwarding to {}", elasticsearchAddress, elasticsearch.describe());

        Optional<KibanaListenerConfig> kibanaConfig = config.listeners().kibana();
        if (kibanaConfig.isPresent()) {
            KibanaListenerConfig kibana = kibanaConfig.get();
            Upstream kibanaUpstream = new Upstream("kibana", List.of(kibana.upstream()), KIBANA_DEFAULT_PORT);
            Optional<SslContext> kibanaTls = clientTls(kibanaUpstream, kibana.upstreamTls());
            ListenerContext kibanaContext = new ListenerContext("kibana", scheme(kibana.tls()), kibanaUpstream,
                    new UpstreamConnector(transport, limits.connectTimeout(), kibanaTls), limits, accessLog, false,
                    api, RequestPolicy.ALLOW_ALL, inFlight);
            kibanaAddress = bind(transport, kibanaContext, kibana.host(), kibana.port(), kibana.tls());
            log.info("Kibana-facing listener on {} forwarding to {}", kibanaAddress, kibanaUpstream.describe());
        }
    }

    private static Optional<SslContext> clientTls(Upstream upstream, Optional<io.sketchgate.config.ClientTlsConfig> tls)
            throws IOException {
        boolean anyHttps = upstream.nodes().stream().anyMatch(UpstreamNode::tls);
        return anyHttps ? Optional.of(TlsContexts.client(tls)) : Optional.empty();
    }

    private InetSocketAddress bind(Transport transport, ListenerContext context, String host, int port,
                                   Optional<ServerTlsConfig> tls) throws IOException, InterruptedException {
        Optional<SslContext> serverTls = tls.isPresent() ? Optional.of(TlsContexts.server(tls.get())) : Optional.empty();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ListenerPipeline(context, serverTls, openChannels));
        Channel channel = bootstrap.bind(host, port).sync().channel();
        serverChannels.add(channel);
        return (InetSocketAddress) channel.localAddress();
    }

    private static String scheme(Optional<ServerTlsConfig> tls) {
        return tls.isPresent() ? "https" : "http";
    }

    /** Where the ES-facing listener actually bound (the port is resolved when configured as 0). */
    public InetSocketAddress elasticsearchAddress() {
        return elasticsearchAddress;
    }

    public Optional<InetSocketAddress> kibanaAddress() {
        return Optional.ofNullable(kibanaAddress);
    }

    /** Stops accepting, lets in-flight requests finish within the configured grace period, then closes. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Channel channel : serverChannels) {
            channel.close().syncUninterruptibly();
        }
        long deadline = System.nanoTime() + config.limits().shutdownGrace().toNanos();
        while (inFlight.count() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.count() > 0) {
            log.warn("shutdown grace period over: closing {} request(s) still in flight", inFlight.count());
        }
        healthCheckers.forEach(HealthChecker::close);
        openChannels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        accessLog.close();
        passwordChecks.shutdownNow();
        try {
            ownClient.close();
        } catch (IOException e) {
            log.debug("closing Sketchgate's Elasticsearch client: {}", e.getMessage());
        }
    }
}
