package io.sketchgate.config;

import java.net.URI;
import java.util.Optional;

/** The listener for Kibana's browser traffic, forwarding to the Kibana server at {@code upstream}. */
public record KibanaListenerConfig(
        String host, int port, URI upstream, Optional<ServerTlsConfig> tls, Optional<ClientTlsConfig> upstreamTls) {
}
