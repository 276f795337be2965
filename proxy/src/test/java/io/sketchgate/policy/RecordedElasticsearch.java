package io.sketchgate.policy;

import io.sketchgate.transport.RecordingServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An upstream answering with Elasticsearch's recorded responses, for APIs the test zip lacks (async search, SQL, EQL,
 * ES|QL). It records every request, so a test can prove what reached "Elasticsearch" and what did not. It answers
 * {@code GET /} (health checks) and {@code _resolve/index} (every expression resolves to {@code indices}) as
 * Elasticsearch 8.19 does; a test registers the API under test with {@link #answer}.
 */
final class RecordedElasticsearch implements AutoCloseable {
    static final Map<String, String> PRODUCT =
            Map.of("X-elastic-product", "Elasticsearch", "content-type", "application/json");
    private static final String ROOT = """
            {"name":"node-1","cluster_name":"recorded","cluster_uuid":"u6P0XGJ6Qm2cXgY3wUf2bA","version":{"number":"8.19.7",\
            "build_flavor":"default","build_type":"tar","lucene_version":"9.12.2","minimum_wire_compatibility_version":\
            "7.17.0","minimum_index_compatibility_version":"7.0.0"},"tagline":"You Know, for Search"}""";

    private final RecordingServer server;

    /** @param indices the concrete indices every {@code _resolve/index} expression resolves to */
    RecordedElasticsearch(List<String> indices) throws IOException {
        server = new RecordingServer();
        server.on("/", exchange -> RecordingServer.respond(exchange, 200, bytes(ROOT), PRODUCT));
        StringBuilder resolved = new StringBuilder("{\"indices\":[");
        for (int i = 0; i < indices.size(); i++) {
            resolved.append(i == 0 ? "" : ",")
                    .append("{\"name\":\"")
                    .append(indices.get(i))
                    .append("\",\"attributes\":[\"open\"]}");
        }
        String resolveAnswer =
                resolved.append("],\"aliases\":[],\"data_streams\":[]}").toString();
        server.on("/_resolve/index", exchange -> RecordingServer.respond(exchange, 200, bytes(resolveAnswer), PRODUCT));
    }

    /** Answers requests under {@code path} with the status and JSON the function gives for (method, path, body). */
    void answer(String path, Function<RecordingServer.Recorded, Answer> answers) {
        server.on(path, exchange -> {
            List<RecordingServer.Recorded> all = server.requests();
            RecordingServer.Recorded self = null;
            for (int i = all.size() - 1; i >= 0 && self == null; i--) { // this exchange's record (others may follow)
                RecordingServer.Recorded r = all.get(i);
                if (r.method().equals(exchange.getRequestMethod())
                        && r.uri().equals(exchange.getRequestURI().toString())) {
                    self = r;
                }
            }
            Answer answer = answers.apply(self);
            RecordingServer.respond(exchange, answer.status(), bytes(answer.json()), PRODUCT);
        });
    }

    record Answer(int status, String json) {}

    /** Requests that reached this upstream, other than health checks and index resolution. */
    List<RecordingServer.Recorded> apiRequests() {
        return server.requests().stream()
                .filter(r -> !r.uri().equals("/") && !r.uri().startsWith("/_resolve/index"))
                .toList();
    }

    long count(String method, String pathPrefix) {
        return apiRequests().stream()
                .filter(r -> r.method().equals(method) && r.uri().startsWith(pathPrefix))
                .count();
    }

    URI uri() {
        return server.uri();
    }

    static String body(RecordingServer.Recorded request) {
        return new String(request.body(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
    }
}
