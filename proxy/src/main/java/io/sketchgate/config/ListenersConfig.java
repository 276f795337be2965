package io.sketchgate.config;

import java.util.Objects;
import java.util.Optional;

/** The ES-facing listener (always on) and the optional Kibana-facing listener. */
public record ListenersConfig(ListenerConfig elasticsearch, Optional<KibanaListenerConfig> kibana) {
    public ListenersConfig {
        Objects.requireNonNull(elasticsearch, "elasticsearch");
        Objects.requireNonNull(kibana, "kibana");
    }
}
