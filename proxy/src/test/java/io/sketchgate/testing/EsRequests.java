package io.sketchgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.es.BulkLoader;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;

/**
 * Short-hands for the calls tests make to set up and check data. Non-2xx answers throw
 * {@link org.elasticsearch.client.ResponseException}, as the REST client does.
 */
public final class EsRequests {

    private final RestClient client;
    private final ObjectMapper json = new ObjectMapper();

    public EsRequests(RestClient client) {
        this.client = client;
    }

    public RestClient client() {
        return client;
    }

    /** Any call; {@code jsonBody} may be null. Returns the parsed answer. */
    public JsonNode call(String method, String path, String jsonBody) throws IOException {
        Request request = new Request(method, path);
        if (jsonBody != null) {
            request.setEntity(new NStringEntity(jsonBody, ContentType.APPLICATION_JSON));
        }
        Response response = client.performRequest(request);
        if (response.getEntity() == null) {
            return json.nullNode();
        }
        return json.readTree(response.getEntity().getContent());
    }

    public JsonNode get(String path) throws IOException {
        return call("GET", path, null);
    }

    public JsonNode put(String path, String jsonBody) throws IOException {
        return call("PUT", path, jsonBody);
    }

    public JsonNode post(String path, String jsonBody) throws IOException {
        return call("POST", path, jsonBody);
    }

    /** Creates {@code index} with a body like {@code {"settings":{...},"mappings":{...}}} (or null). */
    public void createIndex(String index, String body) throws IOException {
        call("PUT", "/" + index, body);
    }

    public void deleteIndex(String index) throws IOException {
        call("DELETE", "/" + index, null);
    }

    public void refresh(String index) throws IOException {
        call("POST", "/" + index + "/_refresh", null);
    }

    /** {@code _count} of the index (or pattern), after nothing: refresh first if you just wrote. */
    public long count(String index) throws IOException {
        return get("/" + index + "/_count").path("count").asLong();
    }

    /** Indexes the documents with generated ids in batches, then refreshes; returns how many. */
    public long bulkIndex(String index, Iterable<? extends Map<String, ?>> documents)
            throws IOException, InterruptedException {
        Iterator<? extends Map<String, ?>> source = documents.iterator();
        long loaded = new BulkLoader(client).load(new Iterator<BulkLoader.BulkDocument>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public BulkLoader.BulkDocument next() {
                return BulkLoader.BulkDocument.of(index, null, source.next());
            }
        });
        refresh(index);
        return loaded;
    }
}
