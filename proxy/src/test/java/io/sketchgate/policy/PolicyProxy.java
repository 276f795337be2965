package io.sketchgate.policy;

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
 * A proxy started from a YAML text for policy tests; {@code {hash}} in the text becomes the bcrypt hash of
 * {@link #PASSWORD}, {@code {upstream}} the upstream URI, and every user sends that password.
 */
final class PolicyProxy implements AutoCloseable {
    static final String PASSWORD = "policy test pw";
    private static final String HASH = BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());

    private final ProxyServer proxy;
    private final URI uri;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    PolicyProxy(Path dir, URI upstream, String yaml) throws Exception {
        Path config = Files.createTempFile(dir, "sketchgate", ".yml");
        Files.writeString(config, yaml.replace("{hash}", HASH).replace("{upstream}", upstream.toString()));
        proxy = ProxyServer.start(new ConfigLoader(Map.of()).load(config));
        uri = ProxyFixture.uri(proxy.elasticsearchAddress());
    }

    HttpResponse<String> send(String method, String path, String user, String body) throws Exception {
        return send(method, path, user, body, Map.of());
    }

    HttpResponse<String> send(String method, String path, String user, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri + path))
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
        if (body != null && !headers.containsKey("content-type")) {
            request.header("content-type", path.contains("_msearch") ? "application/x-ndjson" : "application/json");
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        proxy.close();
    }
}
