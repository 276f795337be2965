package io.sketchgate.transport;

import io.sketchgate.config.AccessLogConfig;
import io.sketchgate.config.ElasticsearchConfig;
import io.sketchgate.config.KibanaListenerConfig;
import io.sketchgate.config.LimitsConfig;
import io.sketchgate.config.ListenerConfig;
import io.sketchgate.config.ListenersConfig;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.server.ProxyServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Builds proxy configurations for tests: free ports, short timeouts, and a way to change one limit. */
public final class ProxyFixture {
    private Duration headerTimeout = LimitsConfig.DEFAULT_HEADER_TIMEOUT;
    private int maxConnections = LimitsConfig.DEFAULT_MAX_CONNECTIONS;
    private Duration idleTimeout = Duration.ofMinutes(5);
    private List<URI> esHosts = List.of(URI.create("http://127.0.0.1:9"));
    private Optional<KibanaListenerConfig> kibana = Optional.empty();
    private long maxBody = 10L << 20;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration responseTimeout = Duration.ofSeconds(30);
    private Duration shutdownGrace = Duration.ofSeconds(5);
    private Duration healthInterval = Duration.ofSeconds(1);
    private Optional<Path> accessLog = Optional.empty();

    public static ProxyFixture forElasticsearch(List<URI> hosts) {
        ProxyFixture fixture = new ProxyFixture();
        fixture.esHosts = List.copyOf(hosts);
        return fixture;
    }

    public static ProxyFixture forElasticsearch(URI host) {
        return forElasticsearch(List.of(host));
    }

    public ProxyFixture kibanaUpstream(URI upstream) {
        kibana = Optional.of(new KibanaListenerConfig("127.0.0.1", 0, upstream, Optional.empty(), Optional.empty()));
        return this;
    }

    public ProxyFixture maxBody(long bytes) {
        maxBody = bytes;
        return this;
    }

    public ProxyFixture connectTimeout(Duration timeout) {
        connectTimeout = timeout;
        return this;
    }

    public ProxyFixture responseTimeout(Duration timeout) {
        responseTimeout = timeout;
        return this;
    }

    public ProxyFixture shutdownGrace(Duration grace) {
        shutdownGrace = grace;
        return this;
    }

    public ProxyFixture healthCheckInterval(Duration interval) {
        healthInterval = interval;
        return this;
    }

    public ProxyFixture accessLog(Path file) {
        accessLog = Optional.of(file);
        return this;
    }

    public ProxyFixture connectionLimits(Duration headerTimeout, int maxConnections) {
        this.headerTimeout = headerTimeout;
        this.maxConnections = maxConnections;
        return this;
    }

    public ProxyFixture idleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
        return this;
    }

    public SketchgateConfig config() {
        return new SketchgateConfig(
                Path.of("test.yml"),
                new ListenersConfig(new ListenerConfig("127.0.0.1", 0, Optional.empty()), kibana),
                new ElasticsearchConfig(
                        esHosts,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        healthInterval),
                new LimitsConfig(
                        maxBody,
                        connectTimeout,
                        responseTimeout,
                        shutdownGrace,
                        16 * 1024,
                        8 * 1024,
                        idleTimeout,
                        headerTimeout,
                        maxConnections),
                new AccessLogConfig(accessLog));
    }

    public ProxyServer start() throws InterruptedException {
        return ProxyServer.start(config());
    }

    public static URI uri(InetSocketAddress address) {
        return URI.create("http://127.0.0.1:" + address.getPort());
    }
}
