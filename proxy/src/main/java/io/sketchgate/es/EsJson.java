package io.sketchgate.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;

/**
 * Sketchgate's own blocking JSON calls to Elasticsearch (hidden indices, jobs, run-time config; never on an event
 * loop): 4xx answers come back as values, so callers can act on 404 and 409; 5xx and connection failures throw.
 */
public final class EsJson {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient client;
    private final AtomicLong sent;

    public EsJson(RestClient client) {
        this(client, new AtomicLong());
    }

    /**
     * @param sent counts every request sent through this instance, answered or not: a unique-count question's, so
     *     that its answer says what it cost Elasticsearch
     */
    public EsJson(RestClient client, AtomicLong sent) {
        this.client = client;
        this.sent = sent;
    }

    /** A status and the parsed body ({@code null} node when there was none). */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public String errorType() {
            return body.path("error").path("type").asText("");
        }

        /** {@code 409 version_conflict_engine_exception: ...}, for messages. */
        public String describe() {
            JsonNode error = body.path("error");
            return status + " " + error.path("type").asText("") + ": "
                    + error.path("reason").asText(body.toString());
        }
    }

    public RestClient client() {
        return client;
    }

    public Answer call(String method, String path, Object body, Map<String, String> parameters) throws IOException {
        Request request = new Request(method, path);
        parameters.forEach(request::addParameter);
        if (body != null) {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            request.setEntity(new NStringEntity(text, ContentType.APPLICATION_JSON));
        }
        Response response;
        sent.incrementAndGet();
        try {
            response = client.performRequest(request);
        } catch (ResponseException e) {
            response = e.getResponse();
            if (response.getStatusLine().getStatusCode() >= 500) {
                throw e;
            }
        }
        return answerOf(response);
    }

    private static Answer answerOf(Response response) throws IOException {
        JsonNode parsed = JSON.nullNode();
        if (response.getEntity() != null) {
            try (InputStream in = response.getEntity().getContent()) {
                JsonNode read = JSON.readTree(in);
                parsed = read == null ? JSON.nullNode() : read;
            }
        }
        return new Answer(response.getStatusLine().getStatusCode(), parsed);
    }

    /**
     * As {@link #call}, without blocking: completes on the client's I/O thread (the answer parsed there), failing
     * with an {@link java.io.UncheckedIOException} where {@link #call} throws.
     */
    public CompletableFuture<Answer> callAsync(
            String method, String path, String body, Map<String, String> parameters) {
        Request request = new Request(method, path);
        parameters.forEach(request::addParameter);
        if (body != null) {
            request.setEntity(new NStringEntity(body, ContentType.APPLICATION_JSON));
        }
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        sent.incrementAndGet();
        client.performRequestAsync(request, new ResponseListener() {
            @Override
            public void onSuccess(Response response) {
                complete(response);
            }

            @Override
            public void onFailure(Exception e) {
                if (e instanceof ResponseException refused
                        && refused.getResponse().getStatusLine().getStatusCode() < 500) {
                    complete(refused.getResponse());
                } else {
                    answer.completeExceptionally(
                            new java.io.UncheckedIOException(e instanceof IOException io ? io : new IOException(e)));
                }
            }

            private void complete(Response response) {
                try {
                    answer.complete(answerOf(response));
                } catch (IOException | RuntimeException e) {
                    answer.completeExceptionally(
                            new java.io.UncheckedIOException(e instanceof IOException io ? io : new IOException(e)));
                }
            }
        });
        return answer;
    }

    public Answer call(String method, String path, Object body) throws IOException {
        return call(method, path, body, Map.of());
    }

    /** Like {@link #call}, but any answer other than 2xx is an {@link IOException} naming the call. */
    public JsonNode require(String method, String path, Object body, Map<String, String> parameters)
            throws IOException {
        Answer answer = call(method, path, body, parameters);
        if (!answer.ok()) {
            throw new IOException(method + " " + path + " failed: " + answer.describe());
        }
        return answer.body();
    }

    /**
     * The body that creates one of Sketchgate's own indices: hidden, one shard with a replica where the cluster
     * has a node for it, and a strict mapping of {@code properties}.
     */
    public static Map<String, Object> hiddenIndex(Map<String, Object> properties) {
        return hiddenIndex("strict", properties);
    }

    /** As {@link #hiddenIndex(Map)}, keeping fields the mapping does not name unindexed instead of refusing them. */
    public static Map<String, Object> hiddenIndexKeepingUnmapped(Map<String, Object> properties) {
        return hiddenIndex(false, properties);
    }

    private static Map<String, Object> hiddenIndex(Object dynamic, Map<String, Object> properties) {
        return Map.of(
                "settings",
                Map.of("index", Map.of("hidden", true, "number_of_shards", 1, "auto_expand_replicas", "0-1")),
                "mappings",
                Map.of("dynamic", dynamic, "properties", properties));
    }

    /** Creates {@code index} with {@code body} (settings and mapping) unless it exists. */
    public void createIndexIfAbsent(String index, Object body) throws IOException {
        if (call("HEAD", "/" + index, null).status() == 200) {
            return;
        }
        Answer created = call("PUT", "/" + index, body);
        if (!created.ok() && !created.errorType().equals("resource_already_exists_exception")) {
            throw new IOException("cannot create index " + index + ": " + created.describe());
        }
    }

    /** A document id as one path segment. */
    public static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
