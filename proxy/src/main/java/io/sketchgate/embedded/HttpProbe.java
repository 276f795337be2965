package io.sketchgate.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The few HTTP calls the lifecycle needs. The JDK client keeps this package free of the REST client
 * the code under test uses, so a broken client setup cannot masquerade as a node that won't start.
 */
final class HttpProbe {

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Optional<String> authorization;

    HttpProbe() {
        this(Optional.empty());
    }

    /** @param authorization an {@code Authorization} header value, for nodes with security on */
    HttpProbe(Optional<String> authorization) {
        this.authorization = authorization;
    }

    /** The parsed body of a 200 answer to {@code GET base + pathAndQuery}; empty on any other outcome. */
    Optional<JsonNode> get(URI base, String pathAndQuery, Duration timeout) throws InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .timeout(timeout)
                .GET();
        authorization.ifPresent(value -> builder.header("Authorization", value));
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(json.readTree(response.body())) : Optional.empty();
        } catch (IOException notUpYet) {
            return Optional.empty();
        }
    }
}
