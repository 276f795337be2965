package io.sketchgate.testing;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.sketchgate.config.ConfigLoader;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.server.ProxyServer;
import io.sketchgate.uniques.UvQueries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
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
    private final boolean ownsConfigFile;

    private ProxyUnderTest(ProxyServer server, Path configFile, boolean ownsConfigFile) {
        this.server = server;
        this.configFile = configFile;
        this.client = new ApiClient(baseUri());
        this.ownsConfigFile = ownsConfigFile;
    }

    public static Builder forElasticsearch(URI... hosts) {
        return forElasticsearch(List.of(hosts));
    }

    public static Builder forElasticsearch(List<URI> hosts) {
        return new Builder(hosts);
    }

    /** A proxy from a configuration file written before, for example by {@link Builder#write}. */
    public static ProxyUnderTest start(Path configFile) throws Exception {
        return start(configFile, Optional.empty());
    }

    public static ProxyUnderTest start(Path configFile, Optional<UvQueries> uniqueCounts) throws Exception {
        return new ProxyUnderTest(ProxyServer.start(load(configFile), uniqueCounts), configFile, false);
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
        return uri(server.elasticsearchAddress());
    }

    /** {@code http://127.0.0.1:<port>} of the Kibana-facing listener ({@link Builder#kibanaUpstream}). */
    public URI kibanaUri() {
        return uri(server.kibanaAddress().orElseThrow());
    }

    /** {@code http://127.0.0.1:<port>} of a listener's address. */
    public static URI uri(InetSocketAddress address) {
        return URI.create("http://127.0.0.1:" + address.getPort());
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
        if (ownsConfigFile) {
            try {
                Files.deleteIfExists(configFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static final class Builder {
        private final List<URI> hosts;
        private final Map<String, String> users = new LinkedHashMap<>();
        private final List<String> snippets = new ArrayList<>();
        private final Map<String, String> elasticsearch = new LinkedHashMap<>();
        private final Map<String, String> limits = new LinkedHashMap<>();
        private Optional<URI> kibanaUpstream = Optional.empty();
        private Optional<String> accessLog = Optional.empty();
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

        /**
         * What the transport tests assume of a proxy: no access log (until {@link #accessLog}), short upstream
         * timeouts (connect 2s, response 30s), a 5s shutdown grace and a health check every second. Each can be
         * changed after.
         */
        public Builder shortTimeouts() {
            accessLog = Optional.of("{ enabled: false }");
            return elasticsearch("health_check_interval", "1s")
                    .limit("connect_timeout", "2s")
                    .limit("response_timeout", "30s")
                    .limit("shutdown_grace", "5s");
        }

        /** One key of the {@code elasticsearch} section besides {@code hosts}, e.g. {@code health_check_interval}. */
        public Builder elasticsearch(String key, String value) {
            elasticsearch.put(key, value);
            return this;
        }

        /** One key of the {@code limits} section, e.g. {@code response_timeout: 300ms}; a later one replaces it. */
        public Builder limit(String key, String value) {
            limits.put(key, value);
            return this;
        }

        /** The access log in {@code file}. */
        public Builder accessLog(Path file) {
            accessLog = Optional.of("{ path: \"" + file + "\" }");
            return this;
        }

        /** A Kibana-facing listener too, on a free port, forwarding to {@code upstream}. */
        public Builder kibanaUpstream(URI upstream) {
            kibanaUpstream = Optional.of(upstream);
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
                    .append(" }\n  warmup: off\n");
            kibanaUpstream.ifPresent(upstream -> yaml.append("  kibana: { host: 127.0.0.1, port: 0, upstream: \"")
                    .append(upstream)
                    .append("\" }\n"));
            yaml.append("elasticsearch:\n  hosts: [")
                    .append(String.join(
                            ", ", hosts.stream().map(h -> "\"" + h + "\"").toList()))
                    .append("]\n");
            elasticsearch.forEach((key, value) ->
                    yaml.append("  ").append(key).append(": ").append(value).append('\n'));
            accessLog.ifPresent(
                    section -> yaml.append("access_log: ").append(section).append('\n'));
            if (!limits.isEmpty()) {
                yaml.append("limits:\n");
                limits.forEach((key, value) ->
                        yaml.append("  ").append(key).append(": ").append(value).append('\n'));
            }
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

        /** The configuration, through a file of its own that is gone again once read. */
        public SketchgateConfig config() throws Exception {
            Path file = write();
            try {
                return load(file);
            } finally {
                Files.delete(file);
            }
        }

        public ProxyUnderTest start(Path dir) throws Exception {
            return ProxyUnderTest.start(write(dir), uniqueCounts);
        }

        /** Started from a configuration file of its own, deleted again when the proxy is closed. */
        public ProxyUnderTest start() throws Exception {
            Path file = write();
            try {
                return new ProxyUnderTest(ProxyServer.start(load(file), uniqueCounts), file, true);
            } catch (Exception | Error e) {
                Files.delete(file);
                throw e;
            }
        }

        private Path write() throws IOException {
            return Files.writeString(Files.createTempFile("sketchgate", ".yml"), text());
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
