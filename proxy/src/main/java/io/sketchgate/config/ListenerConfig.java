package io.sketchgate.config;

import java.util.Optional;

/** Where the ES-facing listener binds; port 0 picks a free port (tests). */
public record ListenerConfig(String host, int port, Optional<ServerTlsConfig> tls) {
}
