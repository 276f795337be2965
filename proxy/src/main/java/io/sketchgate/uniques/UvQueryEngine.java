package io.sketchgate.uniques;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import io.sketchgate.hll.HllSketch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;
import org.elasticsearch.client.RestClient;

/**
 * Answers unique-count questions by merging precomputed buckets, the real-time tail and small source reads.
 *
 * <p>Per question: how far the documents reach ({@link CoverageReader}, narrowed by a running job's
 * checkpoint) and how far the tailer got; each slice covered with the fewest stored buckets plus real-time
 * granules plus source windows ({@link SliceCover}); the documents of every stored piece in one search
 * ({@link StoredBuckets}), their sketches from {@link SketchCache}; source windows read with the batch job's
 * scanner ({@link SourceSlices}); then per slice and split combination a union of sketches ({@link CountBuilder}).
 * Totals over {@code [from, to)} union the slices' sketches when the slices tile the range, else cover the
 * range on their own. Blocking Elasticsearch calls run on {@code executor}, never on an event loop.
 *
 * <p>The precomputed coverage of a definition version is remembered for {@link #COVERAGE_TTL}: it only grows
 * (jobs append closed buckets), so a remembered one at most sends a few more granules to the source — still a
 * correct answer — and a busy dashboard saves two Elasticsearch round trips per question.
 *
 * <p>The stored documents a question reads (without sketches, which stay in {@link SketchCache} and its bound)
 * are remembered too, keyed by the documents' generation read with the coverage
 * ({@link CoverageReader.Read#generation()}): stored buckets are closed, so the same pieces of the same
 * generation always hold the same documents. A dashboard asking again is then answered without any
 * Elasticsearch request for its closed part; a job writing or rewriting documents starts a new generation,
 * seen within {@link #COVERAGE_TTL}.
 */
public final class UvQueryEngine implements UvQueries {
    /** How long a definition's precomputed coverage is reused without asking Elasticsearch again. */
    public static final Duration COVERAGE_TTL = Duration.ofSeconds(2);
    /**
     * Reads stored documents while the question's own thread reads the source. Separate from {@code executor}, so
     * a question never waits for a thread its own pool might not have free; daemon threads, idle ones expire.
     */
    private static final ExecutorService STORED_READS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "sketchgate-uv-stored-read");
        thread.setDaemon(true);
        return thread;
    });

    private final RestClient client;
    private final RealtimeSketches realtime;
    private final SketchCache cache;
    private final Executor executor;
    /** Bound of remembered stored reads, in documents (each ~100 bytes; sketches are shared with the cache). */
    static final long MAX_REMEMBERED_DOCUMENTS = 200_000;

    /** Keyed by definition name and version: a new version starts with no coverage. */
    private final Cache<List<String>, CoverageReader.Read> coverages;

    private final Cache<StoredReadKey, List<StoredBuckets.Document>> storedDocuments;

    public UvQueryEngine(RestClient client, RealtimeSketches realtime, SketchCache cache, Executor executor) {
        this(client, realtime, cache, executor, COVERAGE_TTL);
    }

    /** @param coverageTtl how long a read coverage is reused; zero reads it for every question */
    public UvQueryEngine(
            RestClient client, RealtimeSketches realtime, SketchCache cache, Executor executor, Duration coverageTtl) {
        this.client = Objects.requireNonNull(client, "client");
        this.realtime = Objects.requireNonNull(realtime, "realtime");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.coverages = Caffeine.newBuilder()
                .expireAfterWrite(coverageTtl)
                .maximumSize(10_000)
                .build();
        this.storedDocuments = Caffeine.newBuilder()
                .maximumWeight(MAX_REMEMBERED_DOCUMENTS)
                .weigher((StoredReadKey key, List<StoredBuckets.Document> documents) -> Math.max(1, documents.size()))
                .recordStats()
                .build();
    }

    @Override
    public CompletableFuture<UvAnswer> answer(UvQuestion question) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return answerNow(question);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                executor);
    }

    /** Hits and misses of the decoded-sketch cache. */
    public CacheStats cacheStats() {
        return cache.stats();
    }

    /**
     * The remembered stored documents' cache, for its statistics (a hit with its sketches cached makes no
     * request) in the metrics and tests.
     */
    public Cache<?, ?> storedDocumentsCache() {
        return storedDocuments;
    }

    /** The answer, computed on the calling thread. */
    public UvAnswer answerNow(UvQuestion question) throws IOException {
        QuestionChecks.check(question);
        UniqueCountDefinition definition = question.definition();
        DimensionSelection selection = new DimensionSelection(definition, question.split(), question.filters());
        EsJson es = new EsJson(client);
        CoverageReader.Read precomputed = precomputedCoverage(es, definition);
        Coverage coverage = precomputed.coverage().withTailedThrough(realtime.tailedThrough(definition.name()));
        Function<Instant, Optional<RealtimeSketches.Granule>> tail =
                start -> realtime.granule(definition.name(), start);

        List<UvQuestion.TimeSlice> planned = new ArrayList<>(question.slices());
        boolean slicesTile = tiles(question.slices(), question.from(), question.to());
        if (!slicesTile) {
            planned.add(new UvQuestion.TimeSlice(question.from(), question.to()));
        }
        SliceCover cover = new SliceCover(definition);
        List<List<SliceCover.Piece>> covers = new ArrayList<>();
        Set<SliceCover.Stored> stored = new LinkedHashSet<>();
        for (UvQuestion.TimeSlice slice : planned) {
            List<SliceCover.Piece> pieces = cover.cover(slice.start(), slice.end(), coverage, tail);
            covers.add(pieces);
            pieces.stream()
                    .filter(SliceCover.Stored.class::isInstance)
                    .map(SliceCover.Stored.class::cast)
                    .forEach(stored::add);
        }

        SourceSlices source = new SourceSlices(client, definition, selection);
        Set<SliceCover.FromSource> sourcePieces = new LinkedHashSet<>();
        covers.forEach(pieces -> pieces.stream()
                .filter(SliceCover.FromSource.class::isInstance)
                .map(SliceCover.FromSource.class::cast)
                .forEach(sourcePieces::add));
        long[] cacheHits = {0};
        StoredReadKey storedKey = new StoredReadKey(
                definition.name(),
                definition.version(),
                precomputed.generation(),
                Set.copyOf(stored),
                selection.storedConstraints());
        List<StoredBuckets.Document> remembered = storedDocuments.getIfPresent(storedKey);
        boolean pvOnly = question.measure() == UvQuestion.Measure.PV_ONLY;
        // the stored documents with their sketches and the source windows do not depend on each other:
        // with both to read, the stored ones are read on another thread while this one reads the source
        // (remembered documents need only their sketches, from the cache unless evicted)
        CompletableFuture<StoredRead> storedRead = remembered != null || stored.isEmpty() || sourcePieces.isEmpty()
                ? CompletableFuture.completedFuture(
                        readStored(es, definition, stored, selection, remembered, cacheHits, pvOnly))
                : CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return readStored(es, definition, stored, selection, null, cacheHits, pvOnly);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        STORED_READS);
        Map<SliceCover.FromSource, Map<List<String>, BucketAccumulator>> fromSource = new HashMap<>();
        Map<SliceCover.FromSource, Map<List<String>, Long>> pageViewsFromSource = new HashMap<>();
        for (SliceCover.FromSource piece : sourcePieces) {
            if (pvOnly) { // counting events reads no user ids
                pageViewsFromSource.put(piece, source.pageViews(piece.start(), piece.end()));
            } else {
                fromSource.put(piece, source.uniques(piece.start(), piece.end()));
            }
        }
        StoredRead read = join(storedRead);
        if (remembered == null && !stored.isEmpty()) {
            storedDocuments.put(storedKey, read.documents());
        }
        List<StoredBuckets.Document> documents = read.documents();
        Map<StoredBuckets.PieceKey, List<StoredBuckets.Document>> byPiece = new HashMap<>();
        documents.forEach(
                d -> byPiece.computeIfAbsent(d.piece(), k -> new ArrayList<>()).add(d));

        long[] merged = {0};
        List<Map<List<String>, CountBuilder>> counts = new ArrayList<>();
        for (List<SliceCover.Piece> pieces : covers) {
            counts.add(count(
                    definition,
                    selection,
                    pieces,
                    byPiece,
                    read.sketches(),
                    fromSource,
                    pageViewsFromSource,
                    pvOnly,
                    source,
                    merged));
        }

        Map<List<String>, CountBuilder> totals;
        if (slicesTile) {
            totals = combinations();
            for (Map<List<String>, CountBuilder> sliceCounts : counts) {
                sliceCounts.forEach((combination, count) -> totals.computeIfAbsent(
                                combination, k -> new CountBuilder(definition.precision()))
                        .addAll(count));
            }
        } else {
            totals = counts.get(counts.size() - 1);
        }
        List<UvAnswer.Row> totalRows = new ArrayList<>();
        CountBuilder overall = new CountBuilder(definition.precision());
        totals.forEach((combination, count) -> {
            if (!count.isEmpty()) {
                totalRows.add(new UvAnswer.Row(Optional.empty(), selection.splitMap(combination), count.build()));
                overall.addAll(count);
            }
        });
        // per-slice rows after the totals: the caller may want them for only some combinations
        Predicate<Map<String, String>> wanted = question.rows().select(totalRows);
        List<UvAnswer.Row> rows = new ArrayList<>();
        for (int i = 0; i < question.slices().size(); i++) {
            Optional<UvQuestion.TimeSlice> slice = Optional.of(question.slices().get(i));
            counts.get(i).forEach((combination, count) -> {
                Map<String, String> split = selection.splitMap(combination);
                if (!count.isEmpty() && wanted.test(split)) {
                    rows.add(new UvAnswer.Row(slice, split, count.build()));
                }
            });
        }
        UvCount overallCount = question.split().isEmpty() && totalRows.size() == 1
                ? totalRows.get(0).count()
                : overall.build();
        return new UvAnswer(
                rows,
                totalRows,
                overallCount,
                coverage.watermark(),
                new UvAnswer.Stats(merged[0], documents.size(), source.windows(), source.events(), cacheHits[0]));
    }

    /** The stored documents of a question and their decoded sketches. */
    private record StoredRead(List<StoredBuckets.Document> documents, Map<String, HllSketch> sketches) {}

    /** What a stored read depends on: the documents' generation, the pieces and the dimension constraints. */
    private record StoredReadKey(
            String definition,
            String version,
            String generation,
            Set<SliceCover.Stored> pieces,
            Map<String, DimensionSelection.Constraint> constraints) {}

    /** The documents ({@code remembered} ones, else read) with their sketches. */
    private StoredRead readStored(
            EsJson es,
            UniqueCountDefinition definition,
            Set<SliceCover.Stored> stored,
            DimensionSelection selection,
            List<StoredBuckets.Document> remembered,
            long[] cacheHits,
            boolean pvOnly)
            throws IOException {
        List<StoredBuckets.Document> documents =
                remembered != null ? remembered : new StoredBuckets(es, definition).read(stored, selection);
        if (pvOnly) { // the documents carry their page views
            return new StoredRead(documents, Map.of());
        }
        return new StoredRead(documents, cache.sketches(es, UvIndex.name(definition), documents, cacheHits));
    }

    private static StoredRead join(CompletableFuture<StoredRead> read) throws IOException {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    /** The precomputed coverage, remembered for a short time (a failed read is not remembered). */
    private CoverageReader.Read precomputedCoverage(EsJson es, UniqueCountDefinition definition) throws IOException {
        List<String> key = List.of(definition.name(), String.valueOf(definition.version()));
        CoverageReader.Read known = coverages.getIfPresent(key);
        if (known != null) {
            return known;
        }
        CoverageReader.Read read = new CoverageReader(es).read(definition);
        coverages.put(key, read);
        return read;
    }

    /** Every piece of one slice into its per-combination counts. */
    private Map<List<String>, CountBuilder> count(
            UniqueCountDefinition definition,
            DimensionSelection selection,
            List<SliceCover.Piece> pieces,
            Map<StoredBuckets.PieceKey, List<StoredBuckets.Document>> byPiece,
            Map<String, HllSketch> sketches,
            Map<SliceCover.FromSource, Map<List<String>, BucketAccumulator>> fromSource,
            Map<SliceCover.FromSource, Map<List<String>, Long>> pageViewsFromSource,
            boolean pvOnly,
            SourceSlices source,
            long[] merged)
            throws IOException {
        Map<List<String>, CountBuilder> counts = combinations();
        Function<List<String>, CountBuilder> builder =
                combination -> counts.computeIfAbsent(combination, k -> new CountBuilder(definition.precision()));
        Instant tailFrom = null;
        Instant tailTo = null;
        for (SliceCover.Piece piece : pieces) {
            if (piece instanceof SliceCover.Stored bucket) {
                StoredBuckets.PieceKey key =
                        new StoredBuckets.PieceKey(bucket.levelLabel(definition), bucket.zoneLabel(), bucket.start());
                for (StoredBuckets.Document document : byPiece.getOrDefault(key, List.of())) {
                    HllSketch sketch = sketches.get(document.id());
                    if (pvOnly) {
                        builder.apply(selection.combinationOfStored(document.dimensionValues()))
                                .addPageViews(document.pv());
                    } else if (sketch != null) {
                        builder.apply(selection.combinationOfStored(document.dimensionValues()))
                                .addStored(sketch, document.uv(), document.exact(), document.pv());
                        merged[0]++;
                    }
                }
            } else if (piece instanceof SliceCover.Realtime tailed) {
                tailed.granule().sketches().forEach((values, sketch) -> {
                    if (!pvOnly && selection.matchesStored(values)) {
                        builder.apply(selection.combinationOfStored(values)).addRealtime(sketch);
                        merged[0]++;
                    }
                });
                // page views of tailed granules are counted in the source, one read per contiguous run
                if (tailTo == null || !tailTo.equals(piece.start())) {
                    readTailPageViews(source, tailFrom, tailTo, builder);
                    tailFrom = piece.start();
                }
                tailTo = piece.end();
            } else if (pvOnly) {
                pageViewsFromSource
                        .get((SliceCover.FromSource) piece)
                        .forEach((combination, pv) -> builder.apply(combination).addPageViews(pv));
            } else {
                fromSource
                        .get((SliceCover.FromSource) piece)
                        .forEach((combination, read) ->
                                builder.apply(combination).addSource(read));
            }
        }
        readTailPageViews(source, tailFrom, tailTo, builder);
        return counts;
    }

    private static void readTailPageViews(
            SourceSlices source, Instant from, Instant to, Function<List<String>, CountBuilder> builder)
            throws IOException {
        if (from != null) {
            source.pageViews(from, to)
                    .forEach((combination, pv) -> builder.apply(combination).addPageViews(pv));
        }
    }

    /** Combinations in value order, so rows come out the same way every time. */
    private static Map<List<String>, CountBuilder> combinations() {
        return new TreeMap<>(Comparator.comparing((List<String> c) -> String.join("\u0000", c)));
    }

    /** Whether the slices are contiguous and exactly cover {@code [from, to)}. */
    private static boolean tiles(List<UvQuestion.TimeSlice> slices, Instant from, Instant to) {
        Instant at = from;
        for (UvQuestion.TimeSlice slice : slices) {
            if (!slice.start().equals(at)) {
                return false;
            }
            at = slice.end();
        }
        return !slices.isEmpty() && at.equals(to);
    }
}
