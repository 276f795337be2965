package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** The JSON calls of this package: status and parsed body, with 4xx answers returned rather than thrown. */
final class EsJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient client;

    EsJson(RestClient client) {
        this.client = client;
    }

    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** For errors: {@code 409 version_conflict_engine_exception: ...}. */
        String describe() {
            JsonNode error = body.path("error");
            return status + " " + error.path("type").asText("") + ": " + error.path("reason").asText(body.toString());
        }
    }

    Answer call(String method, String path, Object body, Map<String, String> parameters) throws IOException {
        Request request = new Request(method, path);
        parameters.forEach(request::addParameter);
        if (body != null) {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            request.setEntity(new NStringEntity(text, ContentType.APPLICATION_JSON));
        }
        Response response;
        try {
            response = client.performRequest(request);
        } catch (ResponseException e) {
            response = e.getResponse();
            int status = response.getStatusLine().getStatusCode();
            if (status >= 500) {
                throw e;
            }
        }
        JsonNode parsed = JSON.nullNode();
        if (response.getEntity() != null) {
            try (InputStream in = response.getEntity().getContent()) {
                JsonNode read = JSON.readTree(in);
                parsed = read == null ? JSON.nullNode() : read;
            }
        }
        return new Answer(response.getStatusLine().getStatusCode(), parsed);
    }

    Answer call(String method, String path, Object body) throws IOException {
        return call(method, path, body, Map.of());
    }

    /** Like {@link #call} but any non-2xx answer is an {@link IOException} naming the call. */
    JsonNode require(String method, String path, Object body, Map<String, String> parameters) throws IOException {
        Answer answer = call(method, path, body, parameters);
        if (!answer.ok()) {
            throw new IOException(method + " " + path + " failed: " + answer.describe());
        }
        return answer.body();
    }

    /** Creates {@code index} unless it exists. */
    void createIndexIfAbsent(String index, Object body) throws IOException {
        if (call("HEAD", "/" + index, null).status() == 200) {
            return;
        }
        Answer created = call("PUT", "/" + index, body);
        if (!created.ok() && !created.body().path("error").path("type").asText().equals("resource_already_exists_exception")) {
            throw new IOException("cannot create index " + index + ": " + created.describe());
        }
    }
}
