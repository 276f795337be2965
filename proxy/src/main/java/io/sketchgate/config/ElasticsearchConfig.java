package io.sketchgate.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The Elasticsearch nodes Sketchgate forwards to, and the credentials for Sketchgate's own calls
 * (passthrough traffic keeps the client's own credentials).
 */
public record ElasticsearchConfig(
        List<URI> hosts,
        Optional<String> username,
        Optional<Secret> password,
        Optional<Secret> apiKey,
        Optional<ClientTlsConfig> tls,
        Duration healthCheckInterval) {

    public ElasticsearchConfig {
        hosts = List.copyOf(hosts);
    }
}
