package io.sketchgate.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Elasticsearch nodes Sketchgate forwards to, and the credentials for Sketchgate's own calls
 * (passthrough traffic keeps the client's own credentials).
 *
 * <p>Every host is an http(s) URL with an explicit port (9200 when the file gives none), all with the same
 * scheme. {@code tls} is present exactly when the hosts are https. At most one way to authenticate:
 * {@code username} with {@code password}, or {@code apiKey}, or neither.
 */
public record ElasticsearchConfig(
        List<URI> hosts,
        Optional<String> username,
        Optional<Secret> password,
        Optional<Secret> apiKey,
        Optional<ClientTlsConfig> tls,
        Duration healthCheckInterval) {
    static final int DEFAULT_PORT = 9200;
    static final Duration DEFAULT_HEALTH_CHECK_INTERVAL = Duration.ofSeconds(5);

    public ElasticsearchConfig {
        hosts = List.copyOf(hosts);
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(healthCheckInterval, "healthCheckInterval");
    }

    static ElasticsearchConfig read(ConfigSection section) {
        List<URI> hosts = readHosts(section);
        Optional<String> username = section.optionalString("username");
        Optional<Secret> password = section.secret("password");
        Optional<Secret> apiKey = section.secret("api_key");
        Optional<ClientTlsConfig> tls = section.optionalSection("tls").map(ClientTlsConfig::read);
        Duration healthCheckInterval = section.duration(
                "health_check_interval", DEFAULT_HEALTH_CHECK_INTERVAL, Duration.ofMillis(100), Duration.ofHours(1));

        boolean hasUsername = section.isSet("username");
        boolean hasPassword = section.isSet("password");
        if (section.isSet("api_key") && (hasUsername || hasPassword)) {
            section.problem(
                    "api_key", "cannot be combined with elasticsearch.username and password; use one or the other");
        } else if (hasUsername && !hasPassword) {
            section.problem("username", "is set but elasticsearch.password is not; set both or neither");
        } else if (hasPassword && !hasUsername) {
            section.problem("password", "is set but elasticsearch.username is not; set both or neither");
        }

        boolean https = !hosts.isEmpty() && hosts.get(0).getScheme().equals("https");
        if (!https && tls.isPresent() && !hosts.isEmpty()) {
            section.problem("tls", "only applies to https hosts, and elasticsearch.hosts are http");
        }
        return new ElasticsearchConfig(
                hosts,
                username,
                password,
                apiKey,
                https ? Optional.of(tls.orElse(ClientTlsConfig.DEFAULT)) : Optional.empty(),
                healthCheckInterval);
    }

    private static List<URI> readHosts(ConfigSection section) {
        Optional<ConfigValue> value = section.required("hosts");
        List<ConfigValue> items = value.flatMap(ConfigValue::list).orElse(List.of());
        if (value.isPresent() && value.get().isEmptyList()) {
            value.get().problem("must list at least one URL, like [\"http://127.0.0.1:9200\"]");
        }
        List<URI> hosts = new ArrayList<>();
        for (ConfigValue item : items) {
            item.httpUrl(DEFAULT_PORT).ifPresent(uri -> {
                if (hosts.contains(uri)) {
                    item.problem("is listed twice");
                } else if (!hosts.isEmpty() && !hosts.get(0).getScheme().equals(uri.getScheme())) {
                    item.problem("must use the same scheme as the first host ("
                            + hosts.get(0).getScheme() + ")");
                } else {
                    hosts.add(uri);
                }
            });
        }
        return hosts;
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("hosts", hosts.stream().map(URI::toString).toList());
        username.ifPresent(u -> tree.put("username", u));
        password.ifPresent(p -> tree.put("password", p.toString()));
        apiKey.ifPresent(k -> tree.put("api_key", k.toString()));
        tls.ifPresent(t -> tree.put("tls", t.toYamlTree()));
        tree.put("health_check_interval", Durations.format(healthCheckInterval));
        return tree;
    }
}
