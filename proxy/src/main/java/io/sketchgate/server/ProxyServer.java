package io.sketchgate.server;

import io.micrometer.core.instrument.Gauge;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sketchgate.admin.AdminApi;
import io.sketchgate.admin.MetricsEndpoint;
import io.sketchgate.admin.UsageEndpoint;
import io.sketchgate.admin.ui.WebUi;
import io.sketchgate.api.SketchgateApi;
import io.sketchgate.config.KibanaListenerConfig;
import io.sketchgate.config.LimitsConfig;
import io.sketchgate.config.ListenerConfig;
import io.sketchgate.config.ServerTlsConfig;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.config.UniqueCountsConfig;
import io.sketchgate.es.ElasticsearchClients;
import io.sketchgate.pipeline.Governance;
import io.sketchgate.runtime.RuntimeLimits;
import io.sketchgate.telemetry.MeteredUvQueries;
import io.sketchgate.telemetry.PolicyMetrics;
import io.sketchgate.telemetry.SketchgateMetrics;
import io.sketchgate.telemetry.UsageService;
import io.sketchgate.transport.AccessLog;
import io.sketchgate.transport.HealthChecker;
import io.sketchgate.transport.InFlightRequests;
import io.sketchgate.transport.ListenerContext;
import io.sketchgate.transport.ListenerPipeline;
import io.sketchgate.transport.RequestObserver;
import io.sketchgate.transport.RequestPolicy;
import io.sketchgate.transport.TlsContexts;
import io.sketchgate.transport.Transport;
import io.sketchgate.transport.Upstream;
import io.sketchgate.transport.UpstreamConnector;
import io.sketchgate.transport.UpstreamNode;
import io.sketchgate.uniques.BucketCatalogue;
import io.sketchgate.uniques.DefinitionChanges;
import io.sketchgate.uniques.SketchCache;
import io.sketchgate.uniques.UniqueCountDefinitions;
import io.sketchgate.uniques.UniqueCountService;
import io.sketchgate.uniques.UniqueCountsApi;
import io.sketchgate.uniques.UvApi;
import io.sketchgate.uniques.UvQueries;
import io.sketchgate.uniques.UvQueryEngine;
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
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running proxy: its listeners, upstream pools, health checks, access log, metrics and usage accounting.
 * Start one per process.
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);
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
    private final SketchgateMetrics metrics;
    private final UsageService usage;
    private RuntimeLimits runtimeLimits;
    private UniqueCountDefinitions definitions;
    private UniqueCountService uniqueCounts;
    private BucketCatalogue catalogue;
    private final ExecutorService uvQueries;
    private UvQueries uvEngine;
    /** Answers the Kibana rewrite's questions instead of the built-in engine (tests). */
    private final Optional<UvQueries> rewriteEngine;

    private InetSocketAddress elasticsearchAddress;
    private InetSocketAddress kibanaAddress;
    private boolean closed;
    private StartupWarmup.Result warmup = StartupWarmup.Result.NONE;

    private ProxyServer(SketchgateConfig config, Transport transport, Optional<UvQueries> uniqueCounts)
            throws IOException {
        this.config = config;
        this.rewriteEngine = uniqueCounts;
        this.bossGroup = transport.newGroup(1, "sketchgate-accept");
        int eventLoops = config.listeners().eventLoops();
        this.workerGroup = transport.newGroup(
                eventLoops == 0 ? Runtime.getRuntime().availableProcessors() : eventLoops, "sketchgate-io");
        this.accessLog = AccessLog.open(config.accessLog().path());
        this.metrics = new SketchgateMetrics();
        this.ownClient = ElasticsearchClients.create(
                config.elasticsearch(),
                config.limits().connectTimeout(),
                config.limits().responseTimeout(),
                metrics.ownElasticsearchRequests());
        // bcrypt is slow on purpose: it never runs on an event loop
        this.passwordChecks = Executors.newFixedThreadPool(2, new DefaultThreadFactory("sketchgate-passwords", true));
        // UV questions make blocking calls to Elasticsearch and merge sketches: never on an event loop
        this.uvQueries = Executors.newFixedThreadPool(2, new DefaultThreadFactory("sketchgate-uv", true));
        this.usage = new UsageService(config.usage(), ownClient, Clock.systemUTC(), metrics.registry());
    }

    /** A proxy whose Kibana rewrite and UV API use the built-in unique-count engine. */
    public static ProxyServer start(SketchgateConfig config) throws InterruptedException {
        return start(config, Optional.empty());
    }

    /**
     * @param uniqueCounts the engine that answers the Kibana rewrite's unique-count questions ({@code kibana_rewrite}
     *                     of a definition) instead of the built-in {@link UvQueryEngine}; empty for the built-in one
     */
    public static ProxyServer start(SketchgateConfig config, Optional<UvQueries> uniqueCounts)
            throws InterruptedException {
        Transport transport = Transport.named(config.listeners().transport());
        ProxyServer server;
        try {
            server = new ProxyServer(config, transport, uniqueCounts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the access log: " + e.getMessage(), e);
        }
        if (config.listeners().warmup()) {
            // before the real listeners bind: readiness then means compiled code on the request path
            server.warmup = StartupWarmup.run(config, transport, server.workerGroup);
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
        Upstream elasticsearch =
                new Upstream("elasticsearch", config.elasticsearch().hosts(), ES_DEFAULT_PORT);
        Optional<SslContext> esTls =
                clientTls(elasticsearch, config.elasticsearch().tls());
        healthCheckers.add(new HealthChecker(
                elasticsearch,
                workerGroup,
                transport,
                esTls,
                limits.connectTimeout(),
                config.elasticsearch().healthCheckInterval()));
        ListenerConfig esListener = config.listeners().elasticsearch();
        SketchgateApi.Builder apiRoutes = SketchgateApi.builder(elasticsearch);
        PolicyMetrics policyMetrics = new PolicyMetrics(metrics, usage.recorder());
        // unique-count definitions: the file's, with run-time changes from the admin API over them
        definitions = new UniqueCountDefinitions(config.uniqueCounts());
        boolean governed =
                config.identity().enabled() || !config.roles().roles().isEmpty();
        if (governed) {
            // roles, overrides and definitions stored at run time: read before the tailers start
            runtimeLimits = RuntimeLimits.start(config, ownClient, Clock.systemUTC(), definitions);
        }
        // tailers and the precompute scheduler work in the background and wait for Elasticsearch on their own
        // stored buckets in memory (refreshed in the background, at once after our scheduler wrote), sketches
        // bounded by uv_cache.max_sketch_bytes: closed data is answered without Elasticsearch
        SketchCache sketches = new SketchCache(config.uvCache().maxSketchBytes());
        catalogue = new BucketCatalogue(
                ownClient,
                sketches,
                config.uvCache().refreshInterval(),
                config.uvCache().warmDays(),
                config.uvCache().maxEventMillisBytes(),
                Clock.systemUTC());
        uniqueCounts = UniqueCountService.start(ownClient, definitions, Clock.systemUTC(), catalogue::written);
        catalogue.start(() -> definitions.get().definitions());
        UvQueryEngine builtIn = new UvQueryEngine(ownClient, uniqueCounts, catalogue, uvQueries);
        metrics.monitorSketchCache(sketches.statistics());
        metrics.bucketCatalogue(catalogue::documents, catalogue::memoryBytes);
        registerUniqueCountGauges(definitions.get());
        definitions.subscribe(this::registerUniqueCountGauges); // run-time definitions get theirs when they appear
        uvEngine = new MeteredUvQueries(builtIn, metrics);
        Governance.Builder wiring = Governance.builder(
                        config, ownClient, passwordChecks, workerGroup, Clock.systemUTC())
                .monitor(policyMetrics)
                .uniqueCounts(
                        rewriteEngine.orElse(uvEngine), () -> definitions.get().definitions());
        DefinitionChanges changes = DefinitionChanges.NONE;
        if (governed) {
            wiring.rules(runtimeLimits);
            changes = AdminApi.definitionChanges(runtimeLimits);
        }
        Governance governance = wiring.build();
        RequestPolicy policy = governance.policy();
        // every /_sketchgate/ route, in one place (health is the API's own)
        apiRoutes
                .authenticator(policy::authenticate)
                .route("metrics", new MetricsEndpoint(metrics, config.metrics()))
                .route("usage", new UsageEndpoint(usage, governance.budgets(), Clock.systemUTC()))
                .route(UniqueCountsApi.ROUTE, new UniqueCountsApi(uniqueCounts, definitions, changes))
                .route(WebUi.ROUTE, WebUi.fromClasspath())
                .route("uv", new UvApi(definitions, uvEngine, governance.reads(), Clock.systemUTC()));
        if (governed) { // run-time limits exist only where identity or roles are configured
            apiRoutes
                    .route("quotas", AdminApi.quotas(runtimeLimits))
                    .route("audit", AdminApi.audit(runtimeLimits))
                    .route("explain", AdminApi.explain(governance.pipeline().orElseThrow()));
        }
        SketchgateApi api = apiRoutes.build();
        registerGauges(elasticsearch);
        ListenerContext esContext = new ListenerContext(
                "elasticsearch",
                scheme(esListener.tls()),
                elasticsearch,
                new UpstreamConnector(transport, limits.connectTimeout(), esTls),
                limits,
                accessLog,
                true,
                api,
                policy,
                inFlight,
                RequestObserver.both(metrics.listener("elasticsearch"), usage.recorder()));
        elasticsearchAddress = bind(transport, esContext, esListener.host(), esListener.port(), esListener.tls());
        LOG.info(
                "Elasticsearch-facing listener on {} forwarding to {}", elasticsearchAddress, elasticsearch.describe());

        Optional<KibanaListenerConfig> kibanaConfig = config.listeners().kibana();
        if (kibanaConfig.isPresent()) {
            KibanaListenerConfig kibana = kibanaConfig.get();
            Upstream kibanaUpstream = new Upstream("kibana", List.of(kibana.upstream()), KIBANA_DEFAULT_PORT);
            Optional<SslContext> kibanaTls = clientTls(kibanaUpstream, kibana.upstreamTls());
            ListenerContext kibanaContext = new ListenerContext(
                    "kibana",
                    scheme(kibana.tls()),
                    kibanaUpstream,
                    new UpstreamConnector(transport, limits.connectTimeout(), kibanaTls),
                    limits,
                    accessLog,
                    false,
                    api,
                    RequestPolicy.ALLOW_ALL,
                    inFlight,
                    metrics.listener("kibana"));
            registerGauges(kibanaUpstream);
            kibanaAddress = bind(transport, kibanaContext, kibana.host(), kibana.port(), kibana.tls());
            LOG.info("Kibana-facing listener on {} forwarding to {}", kibanaAddress, kibanaUpstream.describe());
        }
    }

    /** Tailer lag, job progress and buckets written per definition; registering an existing one is a no-op. */
    private void registerUniqueCountGauges(UniqueCountsConfig inForce) {
        for (UniqueCountDefinition definition : inForce.definitions()) {
            String name = definition.name();
            metrics.tailerLag(name, () -> uniqueCounts.tailerLag(name));
            metrics.jobProgress(name, () -> uniqueCounts.jobProgress(name));
            metrics.jobBuckets(name, () -> uniqueCounts.bucketsWritten(name));
        }
    }

    private void registerGauges(Upstream upstream) {
        for (UpstreamNode node : upstream.nodes()) {
            metrics.upstreamNode(upstream.name(), node.toString(), node::isUp);
        }
        if (upstream.name().equals("elasticsearch")) {
            Gauge.builder(SketchgateMetrics.IN_FLIGHT, inFlight, InFlightRequests::count)
                    .description("Requests being handled, all listeners")
                    .strongReference(true)
                    .register(metrics.registry());
        }
    }

    private static Optional<SslContext> clientTls(Upstream upstream, Optional<io.sketchgate.config.ClientTlsConfig> tls)
            throws IOException {
        boolean anyHttps = upstream.nodes().stream().anyMatch(UpstreamNode::tls);
        return anyHttps ? Optional.of(TlsContexts.client(tls)) : Optional.empty();
    }

    private InetSocketAddress bind(
            Transport transport, ListenerContext context, String host, int port, Optional<ServerTlsConfig> tls)
            throws IOException, InterruptedException {
        Optional<SslContext> serverTls =
                tls.isPresent() ? Optional.of(TlsContexts.server(tls.get())) : Optional.empty();
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

    /** Requests the start-up warm-up sent through its throwaway listener (0 with {@code listeners.warmup: off}). */
    public int warmupRequests() {
        return warmup.requests();
    }

    /** Of {@link #warmupRequests()}, how many were answered 200 (allowed by the policy, where one decides). */
    public int warmupAllowed() {
        return warmup.ok();
    }

    /** Where the ES-facing listener actually bound (the port is resolved when configured as 0). */
    public InetSocketAddress elasticsearchAddress() {
        return elasticsearchAddress;
    }

    public Optional<InetSocketAddress> kibanaAddress() {
        return Optional.ofNullable(kibanaAddress);
    }

    /** The proxy's meters, for parts started beside it (the unique-count engine records here). */
    public SketchgateMetrics metrics() {
        return metrics;
    }

    /** The open granules the tailers hold, for the query engine. */
    public io.sketchgate.uniques.RealtimeSketches realtimeSketches() {
        return uniqueCounts == null ? io.sketchgate.uniques.RealtimeSketches.NONE : uniqueCounts;
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
            LOG.warn("shutdown grace period over: closing {} request(s) still in flight", inFlight.count());
        }
        healthCheckers.forEach(HealthChecker::close);
        if (catalogue != null) {
            catalogue.close(); // before the client it uses
        }
        if (uniqueCounts != null) {
            uniqueCounts.close(); // before the client it uses
        }
        if (runtimeLimits != null) {
            runtimeLimits.close();
        }
        openChannels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        accessLog.close();
        passwordChecks.shutdownNow();
        uvQueries.shutdownNow();
        usage.close(); // the last flush, while the client is still open
        metrics.close();
        try {
            ownClient.close();
        } catch (IOException e) {
            LOG.debug("closing Sketchgate's Elasticsearch client: {}", e.getMessage());
        }
    }
}
