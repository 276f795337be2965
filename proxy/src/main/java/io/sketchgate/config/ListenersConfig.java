package io.sketchgate.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The ES-facing listener (always on) and the optional Kibana-facing listener. */
public record ListenersConfig(ListenerConfig elasticsearch, Optional<KibanaListenerConfig> kibana) {
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_ELASTICSEARCH_PORT = 9201;

    public ListenersConfig {
        Objects.requireNonNull(elasticsearch, "elasticsearch");
        Objects.requireNonNull(kibana, "kibana");
    }

    static ListenersConfig read(ConfigSection section) {
        ListenerConfig elasticsearch = ListenerConfig.read(section.section("elasticsearch"));
        Optional<ConfigSection> kibanaSection = section.optionalSection("kibana");
        Optional<KibanaListenerConfig> kibana = kibanaSection.flatMap(KibanaListenerConfig::read);
        kibana.filter(k ->
                        k.port() != 0 && k.port() == elasticsearch.port() && overlaps(k.host(), elasticsearch.host()))
                .ifPresent(k ->
                        kibanaSection.get().problem("port", "is the port listeners.elasticsearch already listens on"));
        return new ListenersConfig(elasticsearch, kibana);
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
        return tree;
    }
}
