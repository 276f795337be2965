package io.sketchgate.admin;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.sketchgate.config.ConfigLoader;
import io.sketchgate.server.ProxyServer;
import io.sketchgate.transport.ProxyFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A proxy with policy on, for the admin endpoint tests: static users {@code admin} (role {@code sketchgate_admin}),
 * {@code alice} and {@code bob} (role {@code analyst}) sharing one password, and a YAML tail for the rest
 * (roles, usage, metrics).
 */
final class AdminProxy implements AutoCloseable {
    static final String PASSWORD = "correct horse battery";
    private static final String HASH = BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ProxyServer server;
    private final URI base;

    private AdminProxy(ProxyServer server) {
        this.server = server;
        this.base = ProxyFixture.uri(server.elasticsearchAddress());
    }

    static AdminProxy start(Path dir, URI elasticsearch, String yamlTail) throws Exception {
        Path config = Files.createTempFile(dir, "sketchgate", ".yml");
        Files.writeString(config, """
                listeners:
                  elasticsearch: { host: 127.0.0.1, port: 0 }
                elasticsearch:
                  hosts: ["%s"]
                access_log: { enabled: false }
                identity:
                  sources: [static]
                users:
                  admin: { password_hash: "%s", roles: [sketchgate_admin] }
                  alice: { password_hash: "%s", roles: [analyst] }
                  bob: { password_hash: "%s", roles: [analyst] }
                """.formatted(elasticsearch, HASH, HASH, HASH) + yamlTail);
        return new AdminProxy(ProxyServer.start(new ConfigLoader(Map.of()).load(config)));
    }

    ProxyServer server() {
        return server;
    }

    HttpResponse<String> get(String path, String user) throws Exception {
        return send("GET", path, user, null);
    }

    HttpResponse<String> send(String method, String path, String user, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        if (body != null) {
            request.header("content-type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
    }
}
