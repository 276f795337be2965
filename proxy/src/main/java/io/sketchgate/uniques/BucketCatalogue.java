package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.config.UvCacheConfig;
import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every stored bucket of every definition in force, in memory, so that a question over closed data finds its
 * documents and its coverage without asking Elasticsearch; their sketches are in {@link SketchCache}.
 *
 * <h2>Layout</h2>
 * One {@link Shelf} per definition (name and {@code definition_version}; a new version starts an empty shelf and
 * loads it whole): a map from piece (level label, zone label, start) to its documents ({@link PieceDocuments}:
 * by dimension values and by dimension subset; each a {@link StoredBuckets.Document}: id, UV, PV,
 * exactness — no sketch), plus the precomputed {@link Coverage}. A question looks up each stored piece of its
 * cover, a hash lookup per piece, and walks only the subset of dimensions it reads.
 *
 * <h2>Keeping up</h2>
 * A refresh ({@link Shelf#refresh}) reads, in order: the job checkpoint; {@code _refresh} of the bucket index (so
 * every document acknowledged before that checkpoint is searchable); one aggregation (document count, newest
 * {@code computed_at}, earliest {@code start}, newest {@code watermark}); only if the count or the newest
 * {@code computed_at} changed, the documents written since the newest seen minus {@link #OVERLAP}; the
 * checkpoint again. The coverage moves only when both checkpoint reads agree (no job step in between), so it
 * never claims a granule whose documents the shelf has not seen. Refreshes run every {@code refresh_interval} in
 * the background (any instance's writes are seen within it), and at once after this process's scheduler
 * finished a run ({@link #written}). Between refreshes a question makes no request for its stored part.
 *
 * <h2>Coverage</h2>
 * {@code [earliest start of any stored bucket, newest watermark)}, narrowed to the position of a job still
 * writing. The earliest start is of any level, not only granules: a job writes a calendar bucket only when it read
 * all of it, so a zone's day starting before the first event (data from 09-01T00:00Z, the Seoul day from
 * 08-31T15:00Z) is covered and answered exactly from its one document.
 *
 * <h2>Bounds</h2>
 * About 250 bytes per document (its id, key, values and map entries): at 30M events over 60 days, 1h granules, two
 * zones and two dimensions of 25 × 3 values, about 170,000 documents, 40 MB. Sketches are bounded separately, by
 * {@link SketchCache}'s bytes. On start ({@link #start}) the catalogue of every definition is loaded and the
 * sketches read while they fit in seven eighths of the cache ({@link #WARM_SHARE}): the root subset's (no
 * dimension) over the whole coverage, then every subset's of the newest {@code warm_days} days, newest first.
 */
public final class BucketCatalogue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BucketCatalogue.class);
    /**
     * How far before the newest {@code computed_at} seen an incremental read starts: covers a document stamped
     * before an earlier-visible one (a job stamps documents when it builds them and writes them a batch later)
     * and clock differences between instances.
     */
    static final Duration OVERLAP = Duration.ofMinutes(1);

    private static final int WARM_BATCH = 1_000;
    /**
     * Warming stops once the cache holds this share of its bound: the last eighth is left for the block unions
     * questions make and the sketches they read outside the warmed days, which a full cache would admit only on
     * their second use (Caffeine's admission lets in a newcomer only if it is used more often than the entry it
     * would push out, and every warmed entry has been used once). Half, until 2026-12-06, left 512 MB of a 1 GB
     * cache unread at the 30M-event benchmark, whose older split questions then read their sketches cold (that
     * data set needs about 1.1 GB; benchmarks/README.md).
     */
    static final double WARM_SHARE = 7.0 / 8;

    private final RestClient client;
    private final SketchCache sketches;
    private final Duration refreshInterval;
    private final int warmDays;
    private final long maxEventMillisBytes;
    private final Clock clock;
    private final Map<String, Shelf> shelves = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService timer;
    private final CompletableFuture<Void> warmed = new CompletableFuture<>();

    /**
     * @param refreshInterval how often the background refresh runs; without {@link #start}, how old a shelf may
     *     be before a question refreshes it on its own thread (zero: every question)
     * @param warmDays        the sketches of this many newest days are read at {@link #start}
     */
    public BucketCatalogue(
            RestClient client, SketchCache sketches, Duration refreshInterval, int warmDays, Clock clock) {
        this(client, sketches, refreshInterval, warmDays, UvCacheConfig.DEFAULT.maxEventMillisBytes(), clock);
    }

    /**
     * @param maxEventMillisBytes per definition, the heap the newest fine granules' events' milliseconds may take
     *     ({@link EventMillis}); older ones are dropped, and their cuts off the minute counted by Elasticsearch
     */
    public BucketCatalogue(
            RestClient client,
            SketchCache sketches,
            Duration refreshInterval,
            int warmDays,
            long maxEventMillisBytes,
            Clock clock) {
        this.maxEventMillisBytes = maxEventMillisBytes;
        this.client = Objects.requireNonNull(client, "client");
        this.sketches = Objects.requireNonNull(sketches, "sketches");
        this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
        this.warmDays = warmDays;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    SketchCache sketches() {
        return sketches;
    }

    /**
     * Loads every definition in force and warms the newest days' sketches, then refreshes in the background every
     * {@code refresh_interval}. From then on a question never waits for a refresh.
     */
    public void start(Supplier<List<UniqueCountDefinition>> inForce) {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sketchgate-uv-catalogue");
            thread.setDaemon(true);
            return thread;
        });
        timer = started;
        started.execute(() -> {
            inForce.get().forEach(this::warm);
            warmed.complete(null);
        });
        long every = Math.max(1, refreshInterval.toMillis());
        started.scheduleWithFixedDelay(() -> refreshAll(inForce.get()), every, every, TimeUnit.MILLISECONDS);
    }

    /** Completes once {@link #start} loaded every definition and read the newest days' sketches. */
    public CompletableFuture<Void> warmed() {
        return warmed;
    }

    /** This process wrote documents of {@code definition} (its scheduler finished a run): refresh now. */
    public void written(UniqueCountDefinition definition) {
        Shelf shelf = shelves.get(definition.name());
        if (shelf != null) {
            shelf.refreshedAt = Instant.MIN;
        }
        ScheduledExecutorService background = timer;
        if (background != null) {
            background.execute(() -> refreshQuietly(definition));
        }
    }

    /**
     * Loads the definition and reads sketches into the cache: the root subset's, then every subset's of its newest
     * {@code warm_days} days (none when that is 0).
     */
    void warm(UniqueCountDefinition definition) {
        try {
            Shelf shelf = shelf(definition);
            if (warmDays <= 0) {
                return;
            }
            // the root subset first, over the whole coverage: every question without split or filter (most UV
            // questions, every plain Kibana chart) reads only it; then every subset of the newest days
            Instant since = clock.instant().minus(Duration.ofDays(warmDays));
            List<StoredBuckets.Document> root = new ArrayList<>();
            List<StoredBuckets.Document> subsets = new ArrayList<>();
            shelf.pieces
                    .values()
                    .forEach(documents -> documents.all().forEach(d -> {
                        if (DimensionSubsets.mask(d.dimensionValues()) == 0) { // every dimension rolled up
                            root.add(d);
                        } else if (!d.start().isBefore(since)) {
                            subsets.add(d);
                        }
                    }));
            Comparator<StoredBuckets.Document> newestFirst =
                    Comparator.comparing(StoredBuckets.Document::start).reversed();
            root.sort(newestFirst);
            subsets.sort(newestFirst);
            List<StoredBuckets.Document> recent = new ArrayList<>(root);
            recent.addAll(subsets);
            EsJson es = new EsJson(client);
            long[] hits = {0};
            for (int from = 0; from < recent.size(); from += WARM_BATCH) {
                if (sketches.weightedSize() > warmBound()) {
                    break; // the rest would only push out what questions read
                }
                sketches.sketches(
                        es,
                        UvIndex.name(definition),
                        definition.version(),
                        recent.subList(from, Math.min(recent.size(), from + WARM_BATCH)),
                        hits);
            }
            LOG.info(
                    "{}: catalogue of {} documents, sketches of the root subset and of the last {} days warmed ({} bytes"
                            + " cached)",
                    definition.name(),
                    shelf.size(),
                    warmDays,
                    sketches.weightedSize());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot warm the bucket catalogue: {}", definition.name(), e.getMessage());
        }
    }

    private long warmBound() {
        return (long) (sketches.maxBytes() * WARM_SHARE);
    }

    /**
     * The shelf of the definition's current version: loaded on first use (the only time a question waits for
     * Elasticsearch here), and, when no background refresh runs, refreshed once older than the refresh interval.
     */
    Shelf shelf(UniqueCountDefinition definition) throws IOException {
        return shelf(definition, new EsJson(client));
    }

    /** As {@link #shelf(UniqueCountDefinition)}, loading or refreshing through {@code es} (a question's). */
    Shelf shelf(UniqueCountDefinition definition, EsJson es) throws IOException {
        Shelf shelf = shelves.get(definition.name());
        if (shelf == null || !shelf.definition.equals(definition)) {
            synchronized (this) {
                shelf = shelves.get(definition.name());
                if (shelf == null || !shelf.definition.equals(definition)) {
                    shelf = new Shelf(definition, maxEventMillisBytes);
                    shelf.refresh(es, clock.instant());
                    shelves.put(definition.name(), shelf);
                }
            }
        } else if (timer == null && !shelf.refreshedAt.plus(refreshInterval).isAfter(clock.instant())) {
            shelf.refresh(es, clock.instant());
        }
        return shelf;
    }

    /**
     * The shelf of the definition's current version when using it needs no Elasticsearch request: loaded, and
     * either kept fresh in the background or refreshed within the refresh interval.
     */
    Optional<Shelf> shelfInMemory(UniqueCountDefinition definition) {
        Shelf shelf = shelves.get(definition.name());
        if (shelf == null || !shelf.definition.equals(definition)) {
            return Optional.empty();
        }
        boolean fresh = timer != null || shelf.refreshedAt.plus(refreshInterval).isAfter(clock.instant());
        return fresh ? Optional.of(shelf) : Optional.empty();
    }

    private void refreshAll(List<UniqueCountDefinition> inForce) {
        Set<String> names = new HashSet<>();
        for (UniqueCountDefinition definition : inForce) {
            names.add(definition.name());
            refreshQuietly(definition);
        }
        shelves.keySet().retainAll(names); // a deleted definition's documents are no longer answered
    }

    private void refreshQuietly(UniqueCountDefinition definition) {
        try {
            Shelf shelf = shelves.get(definition.name());
            if (shelf == null || !shelf.definition.equals(definition)) {
                shelf(definition);
            } else {
                shelf.refresh(new EsJson(client), clock.instant());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot refresh the bucket catalogue: {}", definition.name(), e.getMessage());
        }
    }

    /** Documents held, over every definition (for metrics and tests). */
    public long documents() {
        return shelves.values().stream().mapToLong(Shelf::size).sum();
    }

    /** Estimated heap the documents take, over every definition ({@link StoredBuckets.Document#memoryBytes}). */
    public long memoryBytes() {
        return shelves.values().stream().mapToLong(Shelf::memoryBytes).sum();
    }

    @Override
    public void close() {
        ScheduledExecutorService background = timer;
        if (background != null) {
            background.shutdownNow();
        }
    }

    /** One definition version's documents and coverage. */
    static final class Shelf {
        final UniqueCountDefinition definition;
        final Map<StoredBuckets.PieceKey, PieceDocuments> pieces = new ConcurrentHashMap<>();
        private volatile Coverage coverage = Coverage.NOTHING;
        private volatile Instant refreshedAt = Instant.MIN;
        // what the last refresh saw, under the shelf's lock
        private long count = -1;
        private Optional<Instant> newestWritten = Optional.empty();
        // kept as documents are put, so metrics read them without walking every document (a scrape on an event loop)
        private final AtomicLong held = new AtomicLong();
        private final AtomicLong heldBytes = new AtomicLong();
        /** The documents holding their events' milliseconds, oldest first, and their bytes. */
        private final TreeSet<StoredBuckets.Document> withMillis = new TreeSet<>(
                Comparator.comparing(StoredBuckets.Document::start).thenComparing(StoredBuckets.Document::id));

        private final long maxEventMillisBytes;
        private long eventMillisBytes;

        Shelf(UniqueCountDefinition definition, long maxEventMillisBytes) {
            this.definition = definition;
            this.maxEventMillisBytes = maxEventMillisBytes;
        }

        /** Heap the held events' milliseconds take (at most {@code max_event_millis_bytes}). */
        synchronized long eventMillisBytes() {
            return eventMillisBytes;
        }

        Coverage coverage() {
            return coverage;
        }

        long size() {
            return held.get();
        }

        long memoryBytes() {
            return heldBytes.get();
        }

        /** The documents of the finest subset (every dimension's value) of a stored piece; none when not held. */
        StoredBuckets.Document[] finest(SliceCover.Stored piece) {
            PieceDocuments held = pieces.get(piece.key(definition));
            return held == null ? new StoredBuckets.Document[0] : held.ofSubset(DimensionSubsets.count(definition) - 1);
        }

        /** The documents of {@code stored} pieces that the selection reads. */
        List<StoredBuckets.Document> documents(Collection<SliceCover.Stored> stored, DimensionSelection selection) {
            List<StoredBuckets.Document> documents = new ArrayList<>();
            Optional<List<String>> only = selection.onlyStored();
            OptionalInt subset = selection.storedSubset();
            for (SliceCover.Stored piece : stored) {
                PieceDocuments held = pieces.get(piece.key(definition));
                if (held == null) {
                    continue;
                }
                if (only.isPresent()) {
                    StoredBuckets.Document document = held.get(only.get());
                    if (document != null) {
                        documents.add(document);
                    }
                    continue;
                }
                if (subset.isPresent()) {
                    for (StoredBuckets.Document document : held.ofSubset(subset.getAsInt())) {
                        if (selection.passesFilters(document.dimensionValues())) {
                            documents.add(document);
                        }
                    }
                    continue;
                }
                for (StoredBuckets.Document document : held.all()) {
                    if (selection.matchesStored(document.dimensionValues())) {
                        documents.add(document);
                    }
                }
            }
            return documents;
        }

        synchronized void refresh(EsJson es, Instant now) throws IOException {
            JobStore jobs = new JobStore(es);
            String index = UvIndex.name(definition);
            for (int attempt = 0; attempt < 3; attempt++) {
                Optional<Checkpoint> before = jobs.checkpoint(definition.name());
                EsJson.Answer refreshed = es.call("POST", "/" + index + "/_refresh", null, Map.of());
                if (refreshed.status() == 404) {
                    refreshedAt = now; // nothing precomputed yet
                    return;
                }
                Aggregates seen = aggregates(es, index);
                if (seen.count != count || !seen.newestWritten.equals(newestWritten)) {
                    Optional<Instant> since = count < 0 ? Optional.empty() : newestWritten.map(w -> w.minus(OVERLAP));
                    new StoredBuckets(es, definition).read(since, this::put);
                    count = seen.count;
                    newestWritten = seen.newestWritten;
                }
                Optional<Checkpoint> after = jobs.checkpoint(definition.name());
                if (before.equals(after)) {
                    coverage = seen.coverage(definition, before);
                    refreshedAt = now;
                    return;
                }
            }
            refreshedAt = now; // a job is writing fast: keep the coverage until two reads agree
        }

        private void put(StoredBuckets.Document document) {
            PieceDocuments.Put put = pieces.computeIfAbsent(
                            document.piece(),
                            k -> new PieceDocuments(definition.dimensions().size()))
                    .put(document);
            if (put.before() == null) {
                held.incrementAndGet();
                heldBytes.addAndGet(document.memoryBytes());
            } else if (put.taken()) {
                heldBytes.addAndGet(document.memoryBytes() - put.before().memoryBytes());
            }
            if (put.before() == null || put.taken()) {
                boundEventMillis(document, put.before());
            }
        }

        /**
         * Keeps the newest fine granules' events' milliseconds within {@code max_event_millis_bytes}: documents are
         * read oldest first, so the oldest held are dropped as newer ones arrive; a dropped granule's cuts off the
         * minute are counted by Elasticsearch, as before the field existed.
         */
        private void boundEventMillis(StoredBuckets.Document document, StoredBuckets.Document before) {
            if (before != null && before.eventMillis().isPresent()) {
                eventMillisBytes -= before.eventMillis().memoryBytes();
                withMillis.remove(before);
            }
            if (!document.eventMillis().isPresent()) {
                return;
            }
            withMillis.add(document);
            eventMillisBytes += document.eventMillis().memoryBytes();
            while (eventMillisBytes > maxEventMillisBytes && !withMillis.isEmpty()) {
                StoredBuckets.Document oldest = withMillis.pollFirst();
                StoredBuckets.Document dropped = pieces.get(oldest.piece()).dropEventMillis(oldest.dimensionValues());
                if (dropped != null) {
                    eventMillisBytes -= dropped.eventMillis().memoryBytes();
                    heldBytes.addAndGet(-dropped.eventMillis().memoryBytes());
                }
            }
        }

        private Aggregates aggregates(EsJson es, String index) throws IOException {
            Map<String, Object> body = Map.of(
                    "size",
                    0,
                    "track_total_hits",
                    true,
                    "query",
                    Map.of("term", Map.of("definition_version", definition.version())),
                    "aggs",
                    Map.of(
                            "through", Map.of("max", Map.of("field", "watermark")),
                            "written", Map.of("max", Map.of("field", "computed_at")),
                            "first", Map.of("min", Map.of("field", "start"))));
            JsonNode answer = es.require(
                    "POST", "/" + index + "/_search", body, Map.of("filter_path", "aggregations,hits.total"));
            JsonNode aggregations = answer.path("aggregations");
            return new Aggregates(
                    answer.path("hits").path("total").path("value").asLong(),
                    millis(aggregations.path("written")),
                    millis(aggregations.path("first")),
                    millis(aggregations.path("through")));
        }

        private static Optional<Instant> millis(JsonNode aggregation) {
            JsonNode value = aggregation.path("value");
            return value.isNumber() ? Optional.of(Instant.ofEpochMilli(value.asLong())) : Optional.empty();
        }
    }

    private record Aggregates(
            long count, Optional<Instant> newestWritten, Optional<Instant> first, Optional<Instant> through) {

        /** A job that has not finished wrote its range's documents (all with its watermark) only up to its position. */
        Coverage coverage(UniqueCountDefinition definition, Optional<Checkpoint> checkpoint) {
            if (first.isEmpty() || through.isEmpty()) {
                return Coverage.NOTHING;
            }
            Instant end = through.get();
            if (checkpoint.isPresent()
                    && !checkpoint.get().status().equals(Checkpoint.COMPLETED)
                    && checkpoint.get().definitionVersion().equals(definition.version())
                    && checkpoint.get().readTo().equals(end)
                    && checkpoint.get().position().isBefore(end)) {
                end = checkpoint.get().position();
            }
            return new Coverage(first, Optional.of(end), Optional.empty());
        }
    }
}
