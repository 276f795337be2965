package io.sketchgate.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The requests Kibana sends, as recorded in {@code shared/kibana/} beside the repository and copied into
 * {@code proxy/src/test/resources/kibana/}: method, path, query, headers and body, plus the further calls listed
 * under {@code also}. Tests read the copy, so a clone on its own (CI's fresh machine) runs them too;
 * {@code KibanaFixturesTest} fails when a recording beside the repository differs from the copy.
 */
public final class KibanaFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request; header values that are placeholders ({@code <...>}) are left out. */
    public record FixtureRequest(
            String name,
            String method,
            String path,
            Map<String, String> query,
            Map<String, String> headers,
            JsonNode body) {
        public String pathAndQuery() {
            if (query.isEmpty()) {
                return path;
            }
            StringBuilder sb = new StringBuilder(path).append('?');
            query.forEach((k, v) -> sb.append(k).append('=').append(v).append('&'));
            return sb.substring(0, sb.length() - 1);
        }

        public FixtureRequest withIndexPattern(String from, String to) {
            return new FixtureRequest(name, method, path.replace(from, to), query, headers, body);
        }
    }

    private KibanaFixtures() {}

    /** The copy in the test resources (surefire runs in the module's directory). */
    public static Path directory() {
        Path copy = Path.of("src/test/resources/kibana").toAbsolutePath();
        if (!Files.isDirectory(copy)) {
            throw new IllegalStateException("no recorded Kibana requests in " + copy);
        }
        return copy;
    }

    /** The recordings beside the repository ({@code shared/kibana} in a directory above), when there are any. */
    public static java.util.Optional<Path> sharedRecordings() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/kibana");
            if (Files.isDirectory(candidate)) {
                return java.util.Optional.of(candidate);
            }
        }
        return java.util.Optional.empty();
    }

    public static List<FixtureRequest> all() {
        List<FixtureRequest> requests = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory())) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode root = JSON.readTree(file.toFile());
                String name = file.getFileName().toString().replace(".json", "");
                requests.add(parse(name, root, root.path("headers")));
                int i = 0;
                for (JsonNode also : root.path("also")) {
                    requests.add(parse(name + "#also" + i++, also, root.path("headers")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return requests;
    }

    private static FixtureRequest parse(String name, JsonNode node, JsonNode defaultHeaders) {
        Map<String, String> query = new LinkedHashMap<>();
        node.path("query")
                .fields()
                .forEachRemaining(e -> query.put(e.getKey(), e.getValue().asText()));
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode headerNode = node.has("headers") ? node.get("headers") : defaultHeaders;
        for (Iterator<Map.Entry<String, JsonNode>> it = headerNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            String value = header.getValue().asText();
            if (!value.contains("<") && !header.getKey().equalsIgnoreCase("authorization")) {
                headers.put(header.getKey(), value);
            }
        }
        JsonNode body = node.path("body");
        return new FixtureRequest(
                name,
                node.path("method").asText("GET"),
                node.path("path").asText(),
                query,
                headers,
                body.isMissingNode() || body.isNull() ? null : body);
    }
}
