package io.sketchgate.testing;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.sketchgate.config.ConfigLoader;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.server.ProxyServer;
import io.sketchgate.uniques.UvQueries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A proxy started from a YAML configuration the way {@code sketchgate run} starts it: config snippets in, a running
 * {@link ProxyServer} out. The builder writes the listener (127.0.0.1, a free port), the upstream hosts, static
 * users who all have {@link #PASSWORD} (with {@code identity: { sources: [static] }} unless {@link
 * Builder#identity} says otherwise), then each snippet as it is: {@code roles}, {@code unique_counts},
 * {@code access_log}...
 *
 * <pre>{@code
 * try (ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(es.baseUri())
 *         .user("alice", "analyst")
 *         .yaml("roles: { analyst: { indices: [\"logs-*\"], max_time_range: 31d } }")
 *         .start(dir)) {
 *     proxy.client().get("/logs-*\/_count", "alice");
 * }
 * }</pre>
 */
public final class ProxyUnderTest implements AutoCloseable {
    public static final String PASSWORD = "correct horse battery";
    private static final String HASH = BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());

    private final ProxyServer server;
    private final Path configFile;
    private final ApiClient client;

    private ProxyUnderTest(ProxyServer server, Path configFile) {
        this.server = server;
        this.configFile = configFile;
        this.client = new ApiClient(baseUri());
    }

    public static Builder forElasticsearch(URI... hosts) {
        return new Builder(List.of(hosts));
    }

    /** A proxy from a configuration file written before, for example by {@link Builder#write}. */
    public static ProxyUnderTest start(Path configFile) throws Exception {
        return start(configFile, Optional.empty());
    }

    public static ProxyUnderTest start(Path configFile, Optional<UvQueries> uniqueCounts) throws Exception {
        return new ProxyUnderTest(ProxyServer.start(load(configFile), uniqueCounts), configFile);
    }

    public static SketchgateConfig load(Path configFile) throws Exception {
        return new ConfigLoader(Map.of()).load(configFile);
    }

    public ProxyServer server() {
        return server;
    }

    public int port() {
        return server.elasticsearchAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>} of the Elasticsearch-facing listener. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public Path configFile() {
        return configFile;
    }

    /** A client of this proxy whose users send {@link #PASSWORD}. */
    public ApiClient client() {
        return client;
    }

    /** Shorthand for {@code client().get(...)}. */
    public HttpResponse<String> get(String path, String user) throws IOException, InterruptedException {
        return client.get(path, user);
    }

    /** Shorthand for {@code client().send(...)}. */
    public HttpResponse<String> send(String method, String path, String user, String body)
            throws IOException, InterruptedException {
        return client.send(method, path, user, body);
    }

    public HttpResponse<String> send(String method, String path, String user, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        return client.send(method, path, user, body, headers);
    }

    @Override
    public void close() {
        server.close();
    }

    public static final class Builder {
        private final List<URI> hosts;
        private final Map<String, String> users = new LinkedHashMap<>();
        private final List<String> snippets = new ArrayList<>();
        private int port;
        private String identity = "sources: [static]";
        private Optional<UvQueries> uniqueCounts = Optional.empty();

        private Builder(List<URI> hosts) {
            this.hosts = List.copyOf(hosts);
        }

        /** The Elasticsearch-facing port; 0, the default, takes a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** A static user with {@link #PASSWORD} and these roles. */
        public Builder user(String name, String... roles) {
            return userWith(name, "roles: [" + String.join(", ", roles) + "]");
        }

        /** A static user with {@link #PASSWORD} and these fields, e.g. {@code roles: [a], overrides: {...}}. */
        public Builder userWith(String name, String fields) {
            users.put(name, "{ password_hash: \"" + HASH + "\", " + fields + " }");
            return this;
        }

        /** The body of the {@code identity} section, used when there are users; {@code sources: [static]} by default. */
        public Builder identity(String yaml) {
            identity = yaml;
            return this;
        }

        /** Top-level YAML appended as it is. */
        public Builder yaml(String snippet) {
            snippets.add(snippet.endsWith("\n") ? snippet : snippet + "\n");
            return this;
        }

        /** The sketch engine the rewrite uses instead of the configured one. */
        public Builder uniqueCounts(UvQueries engine) {
            uniqueCounts = Optional.of(engine);
            return this;
        }

        public String text() {
            StringBuilder yaml = new StringBuilder()
                    .append("listeners:\n  elasticsearch: { host: 127.0.0.1, port: ")
                    .append(port)
                    // no start-up warm-up (up to 3 s per proxy); StartupWarmupTest covers it
                    .append(" }\n  warmup: off\nelasticsearch:\n  hosts: [")
                    .append(String.join(
                            ", ", hosts.stream().map(h -> "\"" + h + "\"").toList()))
                    .append("]\n");
            if (!users.isEmpty()) {
                yaml.append("identity:\n").append(indent(identity)).append("users:\n");
                users.forEach((name, fields) -> yaml.append("  ")
                        .append(name)
                        .append(": ")
                        .append(fields)
                        .append('\n'));
            }
            snippets.forEach(yaml::append);
            return yaml.toString();
        }

        /** Writes the configuration to a new file in {@code dir} (for a child process or a restart). */
        public Path write(Path dir) throws IOException {
            return Files.writeString(Files.createTempFile(dir, "sketchgate", ".yml"), text());
        }

        public SketchgateConfig config(Path dir) throws Exception {
            return load(write(dir));
        }

        public ProxyUnderTest start(Path dir) throws Exception {
            return ProxyUnderTest.start(write(dir), uniqueCounts);
        }

        private static String indent(String yaml) {
            StringBuilder indented = new StringBuilder();
            yaml.strip()
                    .lines()
                    .forEach(line -> indented.append("  ").append(line).append('\n'));
            return indented.toString();
        }
    }
}
