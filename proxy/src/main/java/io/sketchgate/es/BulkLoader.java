package io.sketchgate.es;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.LongConsumer;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams documents into Elasticsearch through {@code _bulk}, one batch in memory at a time. A batch ends at
 * {@code batchSize} documents or once it holds {@code maxBatchBytes} of NDJSON, whichever comes first, so
 * large documents (sketches) do not make a request of hundreds of megabytes and small ones still share one.
 *
 * <p>Rejections (429) are retried with backoff: the whole batch when the request was refused, only the
 * rejected items otherwise. Give documents ids when retries must not duplicate them. Any other item
 * failure ends the load with the first reasons Elasticsearch gave.
 */
public final class BulkLoader {

    private static final Logger LOG = LoggerFactory.getLogger(BulkLoader.class);
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");
    /** Keeps the response small on every version: one status per item, reasons only for failures. */
    private static final String FILTER = "errors,items.*.status,items.*.error.type,items.*.error.reason";

    private static final int MAX_ATTEMPTS = 8;

    private final RestClient client;
    private final ObjectMapper json;
    private final int batchSize;
    private final long maxBatchBytes;
    private final LongConsumer progress;

    /** Batches of 5,000 documents, no progress reports. */
    public BulkLoader(RestClient client) {
        this(client, 5_000, loaded -> {});
    }

    /** {@code progress} hears the running total after every batch; no byte limit. */
    public BulkLoader(RestClient client, int batchSize, LongConsumer progress) {
        this(client, batchSize, Long.MAX_VALUE, progress);
    }

    /**
     * @param maxBatchBytes a batch is sent once its NDJSON reaches this many bytes (a single larger document
     *                      goes alone)
     */
    public BulkLoader(RestClient client, int batchSize, long maxBatchBytes, LongConsumer progress) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
        }
        if (maxBatchBytes <= 0) {
            throw new IllegalArgumentException("maxBatchBytes must be positive, was " + maxBatchBytes);
        }
        this.client = Objects.requireNonNull(client, "client");
        this.json = new ObjectMapper();
        this.batchSize = batchSize;
        this.maxBatchBytes = maxBatchBytes;
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Indexes every document and returns how many; does not refresh. */
    public long load(Iterator<? extends BulkDocument> documents) throws IOException, InterruptedException {
        long loaded = 0;
        List<byte[]> batch = new ArrayList<>(Math.min(batchSize, 10_000));
        long bytes = 0;
        while (documents.hasNext()) {
            byte[] line = encode(documents.next());
            batch.add(line);
            bytes += line.length;
            if (batch.size() == batchSize || bytes >= maxBatchBytes || !documents.hasNext()) {
                send(batch);
                loaded += batch.size();
                batch.clear();
                bytes = 0;
                progress.accept(loaded);
            }
        }
        return loaded;
    }

    /**
     * Indexes {@code documents} as {@code streams} contiguous slices loaded at the same time, each in batches
     * as {@link #load}; returns when all are indexed. Elasticsearch indexes one {@code _bulk} request's items of
     * a shard on one thread, so a second request in flight lets a one-shard index use a second core. Only for
     * documents whose order does not matter (distinct ids). The first failure is thrown once all slices ended.
     * {@code progress} hears each slice's own running total.
     */
    public long loadConcurrently(List<? extends BulkDocument> documents, int streams)
            throws IOException, InterruptedException {
        if (streams <= 0) {
            throw new IllegalArgumentException("streams must be positive, was " + streams);
        }
        int slices = Math.max(1, Math.min(streams, documents.size()));
        if (slices == 1) {
            return load(documents.iterator());
        }
        List<FutureTask<Long>> tasks = new ArrayList<>();
        for (int i = 0; i < slices; i++) {
            List<? extends BulkDocument> slice =
                    documents.subList(documents.size() * i / slices, documents.size() * (i + 1) / slices);
            FutureTask<Long> task = new FutureTask<>(() -> load(slice.iterator()));
            tasks.add(task);
            if (i > 0) {
                Thread thread = new Thread(task, "bulk-stream-" + i);
                thread.setDaemon(true);
                thread.start();
            }
        }
        tasks.get(0).run(); // the caller's thread loads the first slice
        long loaded = 0;
        Throwable failure = null;
        for (FutureTask<Long> task : tasks) {
            try {
                loaded += task.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                }
            }
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof InterruptedException interrupted) {
            throw interrupted;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure != null) {
            throw new IOException(failure);
        }
        return loaded;
    }

    private byte[] encode(BulkDocument document) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = json.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            generator.writeStartObject();
            generator.writeObjectFieldStart("index");
            generator.writeStringField("_index", document.index());
            if (document.id() != null) {
                generator.writeStringField("_id", document.id());
            }
            generator.writeEndObject();
            generator.writeEndObject();
        }
        out.write('\n');
        json.writeValue(out, document.source());
        out.write('\n');
        return out.toByteArray();
    }

    private void send(List<byte[]> batch) throws IOException, InterruptedException {
        List<byte[]> pending = batch;
        for (int attempt = 1; ; attempt++) {
            List<byte[]> rejected = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            try {
                JsonNode answer = post(pending);
                if (answer.path("errors").asBoolean(false)) {
                    JsonNode items = answer.path("items");
                    for (int i = 0; i < items.size(); i++) {
                        JsonNode result = items.get(i).elements().next();
                        int status = result.path("status").asInt();
                        if (status == 429) {
                            rejected.add(pending.get(i));
                        } else if (status >= 300) {
                            failures.add(status + " "
                                    + result.path("error").path("type").asText() + ": "
                                    + result.path("error").path("reason").asText());
                        }
                    }
                }
            } catch (ResponseException e) {
                if (e.getResponse().getStatusLine().getStatusCode() != 429) {
                    throw e;
                }
                rejected = pending;
            }
            if (!failures.isEmpty()) {
                throw new IOException(failures.size() + " of " + pending.size() + " documents failed to index, e.g. "
                        + failures.subList(0, Math.min(3, failures.size())));
            }
            if (rejected.isEmpty()) {
                return;
            }
            if (attempt == MAX_ATTEMPTS) {
                throw new IOException("Elasticsearch kept rejecting " + rejected.size() + " documents after "
                        + MAX_ATTEMPTS + " attempts");
            }
            LOG.debug("Elasticsearch rejected {} documents; retrying (attempt {})", rejected.size(), attempt + 1);
            Thread.sleep(100L << Math.min(attempt, 6));
            pending = rejected;
        }
    }

    private JsonNode post(List<byte[]> lines) throws IOException {
        int size = lines.stream().mapToInt(line -> line.length).sum();
        byte[] body = new byte[size];
        int at = 0;
        for (byte[] line : lines) {
            System.arraycopy(line, 0, body, at, line.length);
            at += line.length;
        }
        Request request = new Request("POST", "/_bulk");
        request.addParameter("filter_path", FILTER);
        request.setEntity(new NByteArrayEntity(body, NDJSON));
        Response response = client.performRequest(request);
        return json.readTree(response.getEntity().getContent());
    }

    /** One document to index; {@code id} may be null to let Elasticsearch choose. */
    public interface BulkDocument {
        String index();

        String id();

        /** Anything Jackson serializes to a JSON object, typically a {@code Map}. */
        Object source();

        static BulkDocument of(String index, String id, Object source) {
            return new Simple(index, id, source);
        }
    }

    private record Simple(String index, String id, Object source) implements BulkDocument {}
}
