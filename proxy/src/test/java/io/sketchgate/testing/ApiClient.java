package io.sketchgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The one HTTP client of the admin and API tests: requests to a proxy (or any base URI) as a user with basic
 * credentials, or with none when the user is {@code null}. A body goes as {@code application/json}
 * ({@code application/x-ndjson} on {@code _msearch}) unless the headers name a {@code content-type}.
 */
public final class ApiClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final URI base;
    private final String password;

    /** Every user sends {@link ProxyUnderTest#PASSWORD}. */
    public ApiClient(URI base) {
        this(base, ProxyUnderTest.PASSWORD);
    }

    public ApiClient(URI base, String password) {
        this.base = base;
        this.password = password;
    }

    public URI base() {
        return base;
    }

    public HttpResponse<String> get(String path, String user) throws IOException, InterruptedException {
        return send("GET", path, user, null);
    }

    public HttpResponse<String> send(String method, String path, String user, String body)
            throws IOException, InterruptedException {
        return send(method, path, user, body, Map.of());
    }

    public HttpResponse<String> send(String method, String path, String user, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("Authorization", basic(user, password));
        }
        if (body != null && headers.keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
            request.header("content-type", path.contains("_msearch") ? "application/x-ndjson" : "application/json");
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The request of {@link #send}, its answer read as JSON; who asks comes first, as an audit entry reads. */
    public Answer answer(String user, String method, String path, String body)
            throws IOException, InterruptedException {
        return answer(user, method, path, body, Map.of());
    }

    public Answer answer(String user, String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, path, user, body, headers);
        JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        return new Answer(response.statusCode(), json, response.headers().map());
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON answer: status, body and headers. */
    public record Answer(int status, JsonNode json, Map<String, List<String>> headers) {
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        public String errorType() {
            return json.at("/error/type").asText();
        }
    }
}
