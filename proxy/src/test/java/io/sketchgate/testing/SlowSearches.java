package io.sketchgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.SplittableRandom;
import org.elasticsearch.client.Request;

/**
 * Searches that keep a real Elasticsearch node busy for seconds without scripts (the test distribution has no
 * painless): many buckets of buckets over 100k documents. And the node's view of running search tasks.
 */
public final class SlowSearches {
    /** Seconds of work on a 512 MB node over an index loaded by {@link #load}. */
    public static final String HEAVY_AGGREGATION =
            "{\"size\":0,\"aggs\":{\"a\":{\"terms\":{\"field\":\"u\",\"size\":40000},"
                    + "\"aggs\":{\"b\":{\"terms\":{\"field\":\"v\",\"size\":10}}}}}}";

    private SlowSearches() {}

    /** 100k documents with two high-cardinality keyword fields. */
    public static void load(TestElasticsearch es, String index) throws IOException {
        es.requests()
                .createIndex(
                        index,
                        "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},"
                                + "\"mappings\":{\"properties\":{\"u\":{\"type\":\"keyword\"},\"v\":{\"type\":\"keyword\"}}}}");
        SplittableRandom random = new SplittableRandom(3);
        for (int batch = 0; batch < 10; batch++) {
            StringBuilder bulk = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                bulk.append("{\"index\":{}}\n{\"u\":\"u")
                        .append(random.nextInt(100_000))
                        .append("\",\"v\":\"v")
                        .append(random.nextInt(20_000))
                        .append("\"}\n");
            }
            Request request = new Request("POST", "/" + index + "/_bulk");
            request.setJsonEntity(bulk.toString());
            es.client().performRequest(request);
        }
        es.requests().refresh(index);
    }

    /** Search tasks the node runs (cancelled or not). */
    public static int searchTasks(TestElasticsearch es) throws IOException {
        JsonNode tasks = es.requests().get("/_tasks?actions=indices:data/read/search*&detailed=false");
        int count = 0;
        for (JsonNode node : tasks.path("nodes")) {
            count += node.path("tasks").size();
        }
        return count;
    }

    /** Search tasks the node runs and has not been asked to cancel. */
    public static int uncancelledSearchTasks(TestElasticsearch es) throws IOException {
        JsonNode tasks = es.requests().get("/_tasks?actions=indices:data/read/search*&detailed=true");
        int count = 0;
        for (JsonNode node : tasks.path("nodes")) {
            for (JsonNode task : node.path("tasks")) {
                if (!task.path("cancelled").asBoolean(false)) {
                    count++;
                }
            }
        }
        return count;
    }
}
