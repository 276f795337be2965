package io.sketchgate.config;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The listener for Kibana's browser traffic, forwarding to the Kibana server at {@code upstream}.
 * {@code upstreamTls} is present exactly when the upstream is https.
 */
public record KibanaListenerConfig(
        String host, int port, URI upstream, Optional<ServerTlsConfig> tls, Optional<ClientTlsConfig> upstreamTls) {
    static final int DEFAULT_PORT = 5602;
    static final int DEFAULT_UPSTREAM_PORT = 5601;

    public KibanaListenerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(upstreamTls, "upstreamTls");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
    }

    /** Empty when the upstream is missing or invalid; that problem is already reported. */
    static Optional<KibanaListenerConfig> read(ConfigSection section) {
        String host = section.host("host", ListenersConfig.DEFAULT_HOST);
        int port = section.port("port", DEFAULT_PORT);
        Optional<URI> upstream = section.required("upstream").flatMap(v -> v.httpUrl(DEFAULT_UPSTREAM_PORT));
        Optional<ServerTlsConfig> tls = section.optionalSection("tls").flatMap(ServerTlsConfig::read);
        Optional<ClientTlsConfig> upstreamTls =
                section.optionalSection("upstream_tls").map(ClientTlsConfig::read);
        if (upstream.isEmpty()) {
            return Optional.empty();
        }
        boolean https = upstream.get().getScheme().equals("https");
        if (!https && upstreamTls.isPresent()) {
            section.problem("upstream_tls", "only applies to an https upstream, and listeners.kibana.upstream is http");
        }
        return Optional.of(new KibanaListenerConfig(
                host,
                port,
                upstream.get(),
                tls,
                https ? Optional.of(upstreamTls.orElse(ClientTlsConfig.DEFAULT)) : Optional.empty()));
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("host", host);
        tree.put("port", port);
        tree.put("upstream", upstream.toString());
        tls.ifPresent(t -> tree.put("tls", t.toYamlTree()));
        upstreamTls.ifPresent(t -> tree.put("upstream_tls", t.toYamlTree()));
        return tree;
    }
}
