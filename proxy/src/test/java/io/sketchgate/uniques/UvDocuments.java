package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.testing.EsRequests;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** Every document of a uv index by id, as stored; for comparing runs and checking against the truth. */
final class UvDocuments {
    private UvDocuments() {}

    static Map<String, JsonNode> all(EsRequests es, String index) throws IOException {
        es.refresh(index);
        Map<String, JsonNode> documents = new TreeMap<>();
        JsonNode page = es.post("/" + index + "/_search?scroll=1m", "{\"size\":5000,\"sort\":[\"_doc\"]}");
        while (true) {
            JsonNode hits = page.path("hits").path("hits");
            if (hits.isEmpty()) {
                break;
            }
            for (JsonNode hit : hits) {
                documents.put(hit.path("_id").asText(), hit.path("_source"));
            }
            page = es.post(
                    "/_search/scroll",
                    "{\"scroll\":\"1m\",\"scroll_id\":\""
                            + page.path("_scroll_id").asText() + "\"}");
        }
        return documents;
    }

    /** The documents without {@code computed_at}, the one field that differs between equivalent runs. */
    static Map<String, JsonNode> withoutComputedAt(Map<String, JsonNode> documents) {
        Map<String, JsonNode> result = new TreeMap<>();
        documents.forEach((id, source) -> {
            ObjectNode copy = source.deepCopy();
            copy.remove("computed_at");
            result.put(id, copy);
        });
        return result;
    }
}
