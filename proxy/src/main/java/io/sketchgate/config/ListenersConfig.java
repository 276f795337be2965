package io.sketchgate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ES-facing listener (always on) and the optional Kibana-facing listener, and the network I/O both share.
 *
 * @param transport  {@code auto} (native epoll on Linux when it loads, else Java NIO), {@code epoll},
 *                   {@code io_uring} or {@code nio}; an explicit choice that cannot load fails start-up
 * @param eventLoops I/O threads serving every connection; 0 means one per core
 * @param warmup     replay typical requests through a throwaway listener and upstream before binding, so the
 *                   first real requests meet compiled code ({@code listeners.warmup}, on by default)
 */
public record ListenersConfig(
        ListenerConfig elasticsearch,
        Optional<KibanaListenerConfig> kibana,
        String transport,
        int eventLoops,
        boolean warmup) {
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_ELASTICSEARCH_PORT = 9201;
    public static final List<String> TRANSPORTS = List.of("auto", "epoll", "io_uring", "nio");

    public ListenersConfig {
        Objects.requireNonNull(elasticsearch, "elasticsearch");
        Objects.requireNonNull(kibana, "kibana");
        if (!TRANSPORTS.contains(transport)) {
            throw new IllegalArgumentException("transport must be one of " + TRANSPORTS + ", was " + transport);
        }
        if (eventLoops < 0) {
            throw new IllegalArgumentException("eventLoops must not be negative");
        }
    }

    /**
     * Listeners on the detected transport with one event loop per core, and no start-up warm-up: for proxies
     * built in code (tests, benchmarks), which start many times. A configuration file warms up unless it says off.
     */
    public ListenersConfig(ListenerConfig elasticsearch, Optional<KibanaListenerConfig> kibana) {
        this(elasticsearch, kibana, "auto", 0, false);
    }

    static ListenersConfig read(ConfigSection section) {
        ListenerConfig elasticsearch = ListenerConfig.read(section.section("elasticsearch"));
        Optional<ConfigSection> kibanaSection = section.optionalSection("kibana");
        Optional<KibanaListenerConfig> kibana = kibanaSection.flatMap(KibanaListenerConfig::read);
        kibana.filter(k ->
                        k.port() != 0 && k.port() == elasticsearch.port() && overlaps(k.host(), elasticsearch.host()))
                .ifPresent(k ->
                        kibanaSection.get().problem("port", "is the port listeners.elasticsearch already listens on"));
        String transport = section.string("transport", "auto");
        if (!TRANSPORTS.contains(transport)) {
            section.problem("transport", "must be one of auto, epoll, io_uring, nio");
            transport = "auto";
        }
        int eventLoops = section.integer("event_loops", 0, 0, 1024);
        String warmup = section.string("warmup", "on");
        if (!warmup.equals("on") && !warmup.equals("off")) {
            section.problem("warmup", "must be on or off");
            warmup = "on";
        }
        return new ListenersConfig(elasticsearch, kibana, transport, eventLoops, warmup.equals("on"));
    }

    private static boolean overlaps(String a, String b) {
        return a.equalsIgnoreCase(b) || isWildcard(a) || isWildcard(b);
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::");
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("elasticsearch", elasticsearch.toYamlTree());
        kibana.ifPresent(k -> tree.put("kibana", k.toYamlTree()));
        tree.put("transport", transport);
        tree.put("event_loops", eventLoops);
        tree.put("warmup", warmup ? "on" : "off");
        return tree;
    }
}
