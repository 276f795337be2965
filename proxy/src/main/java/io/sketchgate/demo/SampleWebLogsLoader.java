package io.sketchgate.demo;

import io.sketchgate.es.BulkLoader;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the monthly indices of a {@link SampleWebLogs} and streams its events into them.
 *
 * <p>Refresh is off during the load (segments are not made searchable 1,000 times over) and restored
 * afterwards, followed by one refresh, so the data is searchable when {@link #load} returns.
 */
public final class SampleWebLogsLoader {

    private static final Logger LOG = LoggerFactory.getLogger(SampleWebLogsLoader.class);

    private final RestClient client;
    private final int replicas;

    /** {@code replicas}: 0 for a single node; 1 when a node of a two-node cluster may be killed. */
    public SampleWebLogsLoader(RestClient client, int replicas) {
        this.client = Objects.requireNonNull(client, "client");
        this.replicas = replicas;
    }

    /** Creates the indices (failing if one exists), loads every event, refreshes; returns the event count. */
    public long load(SampleWebLogs logs, LongConsumer progress) throws IOException, InterruptedException {
        for (String index : logs.indices()) {
            Request create = new Request("PUT", "/" + index);
            create.setEntity(new NStringEntity(
                    "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":" + replicas
                            + ",\"refresh_interval\":\"-1\"},\"mappings\":" + SampleWebLogs.MAPPING + "}",
                    ContentType.APPLICATION_JSON));
            client.performRequest(create);
        }
        Iterator<PageView> events = logs.iterator();
        Iterator<BulkLoader.BulkDocument> documents = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return events.hasNext();
            }

            @Override
            public BulkLoader.BulkDocument next() {
                PageView view = events.next();
                return BulkLoader.BulkDocument.of(logs.indexFor(view.timestamp()), view.id(), view.toSource());
            }
        };
        long loaded = new BulkLoader(client, 5_000, progress).load(documents);
        String indices = String.join(",", logs.indices());
        Request settings = new Request("PUT", "/" + indices + "/_settings");
        settings.setEntity(new NStringEntity("{\"index\":{\"refresh_interval\":null}}", ContentType.APPLICATION_JSON));
        client.performRequest(settings);
        client.performRequest(new Request("POST", "/" + indices + "/_refresh"));
        LOG.debug("Loaded {} sample page views into {}", loaded, indices);
        return loaded;
    }
}
