package io.sketchgate.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Where the ES-facing listener binds; port 0 picks a free port (tests). */
public record ListenerConfig(String host, int port, Optional<ServerTlsConfig> tls) {
    public ListenerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
    }

    static ListenerConfig read(ConfigSection section) {
        return new ListenerConfig(
                section.host("host", ListenersConfig.DEFAULT_HOST),
                section.port("port", ListenersConfig.DEFAULT_ELASTICSEARCH_PORT),
                section.optionalSection("tls").flatMap(ServerTlsConfig::read));
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("host", host);
        tree.put("port", port);
        tls.ifPresent(t -> tree.put("tls", t.toYamlTree()));
        return tree;
    }
}
