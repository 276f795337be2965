package io.sketchgate.uniques;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.sketchgate.config.EdgeReads;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.elasticsearch.client.RestClient;

/**
 * Answers unique-count questions by merging precomputed buckets, the real-time tail and small source reads.
 *
 * <p>Per question: how far the stored documents reach and how far the tailer got; each slice covered with the
 * fewest stored buckets plus real-time granules plus source windows ({@link SliceCover}); the documents of every
 * stored piece from {@link BucketCatalogue}, their sketches from {@link SketchCache}; source windows read with the batch job's
 * scanner ({@link SourceSlices}); then per slice and split combination a union of sketches ({@link CountBuilder}).
 * Totals over {@code [from, to)} union the slices' counts, or have a cover of their own when that folds fewer
 * sketches ({@link #totalsCover}). Blocking Elasticsearch calls run on {@code executor}, never on an event loop; a question
 * whose pieces are all stored buckets with their sketches cached is answered on the calling thread, without a hop.
 *
 * <p>Stored documents and the precomputed coverage come from the in-memory {@link BucketCatalogue}, their
 * sketches from {@link SketchCache}: a question whose buckets and sketches are in memory makes no Elasticsearch
 * request for its stored part, and one with sketches missing makes one {@code _mget}.
 */
public final class UvQueryEngine implements UvQueries {
    /** Without a started catalogue, how long its view of a definition is used before a question refreshes it. */
    public static final Duration COVERAGE_TTL = Duration.ofSeconds(2);
    /**
     * A question over in-memory buckets with at most this many documents is answered on the calling thread (an
     * event loop): a union of 2,000 sketches takes about a millisecond, and a hop to a pool costs a wake-up each
     * way. A bigger one goes to the pool, so that one question cannot stall a loop's other connections for long.
     */
    static final int MAX_MERGES_IN_MEMORY = 2_000;

    /**
     * A question merging at least this many stored documents has its covers counted with a pool thread's help
     * ({@link HelpedWork}), when one is idle: below, waking one costs about what it would save.
     */
    static final int HELPED_DOCUMENTS = 1_000;

    private static final StoredBuckets.Document[] NO_DOCUMENTS = new StoredBuckets.Document[0];
    /**
     * Reads missing sketches while the question's own thread reads the source. Separate from {@code executor}, so
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
    private final BucketCatalogue catalogue;
    private final Executor executor;
    private final int helpedDocuments;

    public UvQueryEngine(RestClient client, RealtimeSketches realtime, SketchCache cache, Executor executor) {
        this(client, realtime, cache, executor, COVERAGE_TTL);
    }

    /** @param coverageTtl how long the catalogue's view is used before a question refreshes it; zero: always */
    public UvQueryEngine(
            RestClient client, RealtimeSketches realtime, SketchCache cache, Executor executor, Duration coverageTtl) {
        this(client, realtime, new BucketCatalogue(client, cache, coverageTtl, 0, Clock.systemUTC()), executor);
    }

    /** An engine over a catalogue that the caller starts ({@link BucketCatalogue#start}) and closes. */
    public UvQueryEngine(RestClient client, RealtimeSketches realtime, BucketCatalogue catalogue, Executor executor) {
        this(client, realtime, catalogue, executor, HELPED_DOCUMENTS);
    }

    /** @param helpedDocuments how many documents a question merges at least for a pool thread to help count it */
    UvQueryEngine(
            RestClient client,
            RealtimeSketches realtime,
            BucketCatalogue catalogue,
            Executor executor,
            int helpedDocuments) {
        this.client = Objects.requireNonNull(client, "client");
        this.realtime = Objects.requireNonNull(realtime, "realtime");
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        this.cache = catalogue.sketches();
        this.executor = Objects.requireNonNull(executor, "executor");
        this.helpedDocuments = helpedDocuments;
    }

    @Override
    public CompletableFuture<UvAnswer> answer(UvQuestion question) {
        try {
            Optional<BucketCatalogue.Shelf> shelf = catalogue.shelfInMemory(question.definition());
            if (shelf.isPresent()) {
                CompletableFuture<UvAnswer> here =
                        answer(question, shelf.get(), true, ExactCuts.STORED, new AtomicLong());
                if (here != null) {
                    return here;
                }
            }
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e instanceof IOException io ? new UncheckedIOException(io) : e);
        }
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

    /** The catalogue of stored buckets this engine reads. */
    public BucketCatalogue catalogue() {
        return catalogue;
    }

    /** The answer, computed on the calling thread. */
    public UvAnswer answerNow(UvQuestion question) throws IOException {
        AtomicLong sent = new AtomicLong(); // a catalogue load or refresh it waits for is its cost too
        BucketCatalogue.Shelf shelf = catalogue.shelf(question.definition(), new EsJson(client, sent));
        return join(answer(question, shelf, false, ExactCuts.STORED, sent));
    }

    /**
     * The answer from {@code shelf}. With {@code onCallingThread} (an event loop), null instead when it would block
     * on Elasticsearch (a source or tail read, a sketch not cached) or merge more than an event loop should in one
     * go; the one request it may make then, the root subset's edge count, is sent asynchronously and overlaps the
     * merge, and the answer completes when it is back. Every request it sends counts in {@code sent}, a retry's and
     * the abandoned attempt's alike.
     */
    private CompletableFuture<UvAnswer> answer(
            UvQuestion question,
            BucketCatalogue.Shelf shelf,
            boolean onCallingThread,
            ExactCuts exactCuts,
            AtomicLong sent)
            throws IOException {
        QuestionChecks.check(question);
        UniqueCountDefinition definition = question.definition();
        DimensionSelection selection = new DimensionSelection(definition, question.split(), question.filters());
        EsJson es = new EsJson(client, sent);
        Coverage coverage = shelf.coverage().withTailedThrough(realtime.tailedThrough(definition.name()));
        Function<Instant, Optional<RealtimeSketches.Granule>> tail =
                start -> realtime.granule(definition.name(), start);

        boolean slicesTile = tiles(question.slices(), question.from(), question.to());
        boolean rootSubset = question.split().isEmpty() && question.filters().isEmpty();
        // exact edges: each cut from the stored granules it splits when they can answer it exactly, else the next
        // way of ExactCuts (the seconds off the minute from the source, then every cut from the source)
        boolean cutsFromGranules = exactCuts != ExactCuts.SOURCE && question.edges() == EdgeReads.EXACT;
        SliceCover cover = cutsFromGranules
                ? new SliceCover(definition, EdgeReads.FINE, rootSubset, exactCuts == ExactCuts.WHOLE_MINUTES_STORED)
                : new SliceCover(definition, question.edges(), rootSubset);
        List<List<SliceCover.Piece>> covers = new ArrayList<>();
        Map<StoredBuckets.PieceKey, SliceCover.Stored> stored = new LinkedHashMap<>();
        for (UvQuestion.TimeSlice slice : question.slices()) {
            covers.add(cover.cover(slice.start(), slice.end(), coverage, tail));
        }
        Optional<TotalsCover> totalsCover = totalsCover(question, slicesTile, cover, covers, coverage, tail);
        totalsCover.ifPresent(own -> covers.add(own.pieces())); // last
        boolean totalsFromSlices = totalsCover.isEmpty();
        boolean totalsJoinEndSlices =
                totalsCover.filter(TotalsCover::betweenEndSlices).isPresent();
        // once per catalogue key: covers in different zones name the same UTC granule differently
        for (List<SliceCover.Piece> pieces : covers) {
            for (SliceCover.Piece piece : pieces) {
                if (piece instanceof SliceCover.Stored bucket) {
                    stored.putIfAbsent(bucket.key(definition), bucket);
                } else if (piece instanceof SliceCover.Partial partial) {
                    stored.putIfAbsent(partial.granule().key(definition), partial.granule());
                }
            }
        }
        String index = UvIndex.name(definition);
        String version = definition.version(); // a hash of the definition: once a question, not once a block
        boolean pvOnly = question.measure() == UvQuestion.Measure.PV_ONLY; // the documents carry their page views
        List<StoredBuckets.Document> documents = shelf.documents(stored.values(), selection);
        Map<StoredBuckets.PieceKey, List<StoredBuckets.Document>> byPiece = new HashMap<>();
        documents.forEach(
                d -> byPiece.computeIfAbsent(d.piece(), k -> new ArrayList<>()).add(d));
        // the events of a cut inside a stored granule: from the per-minute page views of its documents when the cut
        // is on whole minutes, else counted, all such cuts of the question in one request: for the root subset a
        // count, for a split or filter a page-view read per combination (no values)
        CutPageViews cuts = CutPageViews.of(
                covers,
                partial -> byPiece.getOrDefault(partial.granule().key(definition), List.of()),
                partial -> rootSubset ? NO_DOCUMENTS : shelf.finest(partial.granule()),
                selection::passesFilters,
                selection::combinationOfStored);
        long[] cacheHits = {0};
        // every cached sketch looked up once; what is missing is read below, or sends the question to the pool
        SketchCache.Lookup cached = pvOnly
                ? new SketchCache.Lookup(Map.of(), List.of())
                : cache.lookup(index, version, documents, cacheHits);
        // a split's or filter's cuts to read: in one search sent without blocking, unless two share a granule; a
        // question showing every row then stays on the event loop (a top-N pick waits for the cuts' page views)
        boolean cutsToRead = !cuts.complete() && !rootSubset;
        boolean cutsInOneSearch = cutsToRead && SourceSlices.inOneSearch(cuts.uncountedCuts());
        if (onCallingThread
                && ((cutsToRead && !(cutsInOneSearch && question.rows() == UvQuestion.RowSelection.ALL))
                        || !inMemory(covers)
                        || documents.size() > MAX_MERGES_IN_MEMORY
                        || (!pvOnly && !cached.complete()))) {
            return null;
        }
        SourceSlices source = new SourceSlices(client, definition, selection, sent);
        // the cuts' events are read while this thread merges, sent without blocking: for the root subset a count,
        // for a split or filter a page-view read (its own SourceSlices: its rows arrive on the client's I/O thread);
        // cuts sharing a granule are read one by one on another thread
        SourceSlices edgeSource = new SourceSlices(client, definition, selection, sent);
        CompletableFuture<List<Map<List<String>, Long>>> edgePageViews;
        if (rootSubset) {
            edgePageViews =
                    new EdgeCounts(es, definition).countAsync(cuts.uncounted()).thenApply(cuts::withCounted);
        } else if (cuts.complete()) {
            edgePageViews = CompletableFuture.completedFuture(cuts.known());
        } else if (cutsInOneSearch) {
            edgePageViews = edgeSource.pageViewsAsync(cuts.uncountedCuts()).thenApply(cuts::withRead);
        } else {
            edgePageViews = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return cuts.withRead(edgeSource.pageViews(cuts.uncountedCuts()));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    STORED_READS);
        }

        Set<SliceCover.FromSource> sourcePieces = new LinkedHashSet<>();
        covers.forEach(pieces -> pieces.stream()
                .filter(SliceCover.FromSource.class::isInstance)
                .map(SliceCover.FromSource.class::cast)
                .forEach(sourcePieces::add));
        // missing sketches and the source windows do not depend on each other: with both to read, the sketches
        // are read on another thread while this one reads the source
        CompletableFuture<Map<String, CachedSketch>> storedRead = pvOnly
                ? CompletableFuture.completedFuture(Map.of())
                : sourcePieces.isEmpty() || cached.complete()
                        ? CompletableFuture.completedFuture(cache.sketches(es, index, version, cached))
                        : CompletableFuture.supplyAsync(
                                () -> {
                                    try {
                                        return cache.sketches(es, index, version, cached);
                                    } catch (IOException e) {
                                        throw new UncheckedIOException(e);
                                    }
                                },
                                STORED_READS);
        Map<SliceCover.FromSource, Map<List<String>, BucketAccumulator>> fromSource = new HashMap<>();
        Map<SliceCover.FromSource, Map<List<String>, Long>> pageViewsFromSource = new HashMap<>();
        if (pvOnly) { // counting events reads no user ids
            for (SliceCover.FromSource piece : sourcePieces) {
                pageViewsFromSource.put(piece, source.pageViews(piece.start(), piece.end()));
            }
        } else {
            fromSource.putAll(source.uniques(sourcePieces)); // a chart's two edges in one search
        }
        Map<String, CachedSketch> sketches = join(storedRead);
        if (cutsFromGranules && !pvOnly && !cutGranulesKeepCuts(covers, definition, byPiece, sketches, exactCuts)) {
            return answer(question, shelf, onCallingThread, exactCuts.next(), sent);
        }

        Inputs inputs = new Inputs(
                definition,
                index,
                version,
                selection,
                byPiece,
                sketches,
                fromSource,
                pageViewsFromSource,
                pvOnly,
                source,
                cutsFromGranules ? exactCuts : null);
        long[] merged = {0};
        boolean[] uncertain = {false};
        // a pool thread helps count a large question's covers; not one that reads the tail's page views as it counts
        boolean helped = documents.size() >= helpedDocuments && inMemory(covers);
        boolean cutsFromMinutes = cuts.complete(); // else some were counted or read
        int totalsAt = covers.size() - 1; // the totals' own cover, when they have one
        // a row selection (a top-5 chart) picks its combinations from the totals, which then have their own cover:
        // they are counted first and the slices merged only for the combinations picked (5 countries of 25), instead
        // of all of them for rows nobody reads. The cuts' page views must be known to pick: on the event loop only
        // when they already are; off it, the totals are merged while they are read, then waited for
        // covers counted before the pick, for every combination, with their cuts' page views: the totals' own, and
        // the end slices when the totals take theirs
        Map<Integer, Map<List<String>, CountBuilder>> countedFirst = new HashMap<>();
        Totals totalsFirst = null;
        Predicate<List<String>> picked = combination -> true;
        if (!totalsFromSlices
                && !pvOnly
                && question.rows() != UvQuestion.RowSelection.ALL
                && (edgePageViews.isDone() || !onCallingThread)) {
            countedFirst.putAll(countCovers(
                    inputs,
                    covers,
                    totalsJoinEndSlices ? List.of(totalsAt, 0, totalsAt - 1) : List.of(totalsAt),
                    merged,
                    uncertain,
                    picked,
                    helped));
            List<Map<List<String>, Long>> edgeViews = join(edgePageViews); // read while the above merged
            countedFirst.forEach((at, byCombination) ->
                    addEdgePageViews(byCombination, edgeViews.get(at), cutsFromMinutes, definition));
            Map<List<String>, CountBuilder> ownTotals = countedFirst.get(totalsAt);
            if (totalsJoinEndSlices) {
                joinEndSlices(ownTotals, countedFirst.get(0), countedFirst.get(totalsAt - 1), definition);
            }
            totalsFirst = Totals.of(ownTotals, selection);
            Predicate<Map<String, String>> wanted = question.rows().select(totalsFirst.rows());
            // per combination, not per document; read by a helping pool thread too
            Map<List<String>, Boolean> decided = new ConcurrentHashMap<>();
            picked = combination -> decided.computeIfAbsent(combination, c -> wanted.test(selection.splitMap(c)));
        }
        List<Integer> toCount = new ArrayList<>();
        for (int i = 0; i < covers.size(); i++) {
            if (!countedFirst.containsKey(i)) {
                toCount.add(i);
            }
        }
        Map<Integer, Map<List<String>, CountBuilder>> countedNow =
                countCovers(inputs, covers, toCount, merged, uncertain, picked, helped);
        List<Map<List<String>, CountBuilder>> counts = new ArrayList<>();
        for (int i = 0; i < covers.size(); i++) {
            counts.add(countedFirst.containsKey(i) ? countedFirst.get(i) : countedNow.get(i));
        }
        // a count the source's values could have kept exact, given a cut's registers instead (StepCuts): the whole
        // minutes from the granules would be the same registers, so every cut from the source at once; a cut inside a
        // granule with values on both sides of it, or split minutes that could move a count too far: the next way
        if (cutsFromGranules && couldHaveBeenExact(counts)) {
            return answer(question, shelf, onCallingThread, ExactCuts.SOURCE, sent);
        }
        if (cutsFromGranules && (uncertain[0] || splitMinutesTooWide(counts))) {
            return answer(question, shelf, onCallingThread, exactCuts.next(), sent);
        }
        // the merge above ran while the cuts' events (if any) were being read
        Totals counted = totalsFirst;
        return edgePageViews.thenApply(perCover -> {
            for (int i = 0; i < counts.size(); i++) {
                if (!countedFirst.containsKey(i)) { // else counted with theirs
                    addEdgePageViews(counts.get(i), perCover.get(i), cutsFromMinutes, definition);
                }
            }
            Totals totals = counted != null
                    ? counted
                    : Totals.of(
                            totals(
                                    inputs,
                                    covers,
                                    counts,
                                    totalsFromSlices,
                                    totalsJoinEndSlices,
                                    question.measure() != UvQuestion.Measure.SLICE_UV),
                            selection);
            return finish(
                    question,
                    selection,
                    totals,
                    counts,
                    coverage,
                    merged[0],
                    documents.size(),
                    source.events() + edgeSource.events(),
                    source.windows(),
                    cacheHits[0],
                    sent.get());
        });
    }

    /**
     * The totals per combination: the union of the slices' counts (only their page views without {@code uv}), or
     * the last cover's when they have their own ({@link #totalsCover}), with the first and the last slice's counts
     * when that cover is of the slices between them.
     */
    private Map<List<String>, CountBuilder> totals(
            Inputs in,
            List<List<SliceCover.Piece>> covers,
            List<Map<List<String>, CountBuilder>> counts,
            boolean fromSlices,
            boolean joinEndSlices,
            boolean uv) {
        UniqueCountDefinition definition = in.definition();
        if (!fromSlices) {
            Map<List<String>, CountBuilder> own = counts.get(counts.size() - 1);
            if (joinEndSlices) {
                joinEndSlices(own, counts.get(0), counts.get(counts.size() - 2), definition);
            }
            return own;
        }
        if (uv && counts.size() == 1) {
            return counts.get(0); // one slice (a total): its counts are the totals, not copied value by value
        }
        Map<List<String>, CountBuilder> totals = combinations();
        Function<List<String>, CountBuilder> total =
                combination -> totals.computeIfAbsent(combination, k -> new CountBuilder(definition.precision()));
        for (int at = 0; at < counts.size(); ) {
            int blockEnd = uv ? DayBlocks.blockEnd(covers, at) : at;
            if (blockEnd > at) {
                // a run of whole days: per combination their cached block, in place of the days' counts (which are
                // their documents alone: addBlock adds those one by one where it makes no block)
                List<SliceCover.Piece> days = new ArrayList<>(DayBlocks.DAYS);
                covers.subList(at, blockEnd).forEach(cover -> days.add(cover.get(0)));
                addBlock(in, days, total, combination -> true);
                at = blockEnd;
                continue;
            }
            counts.get(at).forEach((combination, count) -> {
                if (uv) {
                    total.apply(combination).addAll(count);
                } else {
                    total.apply(combination).addPageViewsOf(count);
                }
            });
            at++;
        }
        return totals;
    }

    /**
     * The first and the last slice's counts into the counts of the totals' own cover of the slices between them, which
     * are the totals' alone.
     */
    private static void joinEndSlices(
            Map<List<String>, CountBuilder> between,
            Map<List<String>, CountBuilder> first,
            Map<List<String>, CountBuilder> last,
            UniqueCountDefinition definition) {
        for (Map<List<String>, CountBuilder> end : List.of(first, last)) {
            end.forEach((combination, count) -> between.computeIfAbsent(
                            combination, k -> new CountBuilder(definition.precision()))
                    .addAll(count));
        }
    }

    /** What every cover of one question is counted from: its pieces' documents and sketches, its source reads. */
    private record Inputs(
            UniqueCountDefinition definition,
            String index,
            String version,
            DimensionSelection selection,
            Map<StoredBuckets.PieceKey, List<StoredBuckets.Document>> byPiece,
            Map<String, CachedSketch> sketches,
            Map<SliceCover.FromSource, Map<List<String>, BucketAccumulator>> fromSource,
            Map<SliceCover.FromSource, Map<List<String>, Long>> pageViewsFromSource,
            boolean pvOnly,
            SourceSlices source,
            /** How exact edges are read; null for fine edges. */
            ExactCuts exactCuts) {
        boolean exactEdges() {
            return exactCuts != null;
        }
    }

    /** A cover's events inside its cut granules, per combination, into its counts. */
    private static void addEdgePageViews(
            Map<List<String>, CountBuilder> counts,
            Map<List<String>, Long> edges,
            boolean fromMinutes,
            UniqueCountDefinition definition) {
        edges.forEach((combination, pv) -> {
            if (pv > 0) {
                CountBuilder count = counts.computeIfAbsent(combination, k -> new CountBuilder(definition.precision()));
                if (fromMinutes) {
                    count.addStoredPageViews(pv); // from the granules' pv_by_minute
                } else {
                    count.addPageViews(pv);
                }
            }
        });
    }

    /** The totals' rows, one per combination with events, and the counts behind them. */
    private record Totals(List<UvAnswer.Row> rows, List<CountBuilder> nonEmpty) {
        static Totals of(Map<List<String>, CountBuilder> totals, DimensionSelection selection) {
            List<UvAnswer.Row> rows = new ArrayList<>();
            List<CountBuilder> nonEmpty = new ArrayList<>();
            totals.forEach((combination, count) -> {
                if (!count.isEmpty()) {
                    rows.add(new UvAnswer.Row(Optional.empty(), selection.splitMap(combination), count.build()));
                    nonEmpty.add(count);
                }
            });
            return new Totals(rows, nonEmpty);
        }
    }

    /** Rows from the per-slice counts, every page view in, beside the totals' rows and counts. */
    private static UvAnswer finish(
            UvQuestion question,
            DimensionSelection selection,
            Totals built,
            List<Map<List<String>, CountBuilder>> counts,
            Coverage coverage,
            long merged,
            int documents,
            long sourceEvents,
            long sourceWindows,
            long cacheHits,
            long elasticsearchRequests) {
        int precision = question.definition().precision();
        List<UvAnswer.Row> totalRows = built.rows();
        List<CountBuilder> nonEmptyTotals = built.nonEmpty();
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
        // the union of every combination's total: merged now, so that the totals' unions can go back to the pool,
        // and counted only when asked for (a split chart showing its terms never is)
        Supplier<UvCount> overall;
        if (question.split().isEmpty() && totalRows.size() == 1) {
            overall = () -> totalRows.get(0).count();
        } else {
            CountBuilder everyTotal = new CountBuilder(precision);
            nonEmptyTotals.forEach(everyTotal::addAll);
            overall = () -> {
                UvCount count = everyTotal.build();
                everyTotal.release();
                return count;
            };
        }
        release(counts, nonEmptyTotals);
        long overallPageViews = 0;
        for (UvAnswer.Row total : totalRows) {
            overallPageViews += total.count().pv();
        }
        return new UvAnswer(
                rows,
                totalRows,
                overall,
                overallPageViews,
                coverage.watermark(),
                new UvAnswer.Stats(merged, documents, sourceWindows, sourceEvents, cacheHits, elasticsearchRequests));
    }

    /**
     * Gives back the unions of the slices' and the totals' counts (a total may be a slice's own count; a count is
     * released once), whose rows are built and whose values the overall count holds ({@link UnionPool}).
     */
    private static void release(List<Map<List<String>, CountBuilder>> counts, List<CountBuilder> totals) {
        for (Map<List<String>, CountBuilder> slice : counts) {
            slice.values().forEach(CountBuilder::release);
        }
        totals.forEach(CountBuilder::release);
    }

    /**
     * Whether the sketch of every document of a granule a cut splits keeps what counts its cuts: its values'
     * minutes or its registers per minute ({@link GranuleCuts}); read to the millisecond ({@link ExactCuts#STORED}),
     * the values' minutes with their milliseconds.
     */
    private static boolean cutGranulesKeepCuts(
            List<List<SliceCover.Piece>> covers,
            UniqueCountDefinition definition,
            Map<StoredBuckets.PieceKey, List<StoredBuckets.Document>> byPiece,
            Map<String, CachedSketch> sketches,
            ExactCuts exactCuts) {
        for (List<SliceCover.Piece> pieces : covers) {
            for (SliceCover.Piece piece : pieces) {
                if (piece instanceof SliceCover.Partial partial) {
                    for (StoredBuckets.Document document :
                            byPiece.getOrDefault(partial.granule().key(definition), List.of())) {
                        CachedSketch sketch = sketches.get(document.id());
                        if (sketch == null
                                || sketch.cuts().isEmpty()
                                || (exactCuts == ExactCuts.STORED
                                        && sketch.cuts().get() instanceof ValueMinutes minutes
                                        && !minutes.hasMillis())) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    /**
     * The totals' own cover (the last cover), or empty when they are the union of the slices. When the slices tile
     * the range, the cheaper of two covers if it merges at most half the stored buckets the slices do (40 days are a
     * month and some weeks and days, not 40 days again per split value): the whole range's, or the days between
     * the first and the last slice with those two slices' counts (an unaligned range's end slices are cut days,
     * whose granules and cuts the whole range's cover would merge a second time). The whole range's always when the
     * slices do not tile it. When the totals pick the combinations whose slices are counted (a top-5 chart: the
     * totals of 25 countries, then the slices of 5, rather than the slices of 25), an own cover always: the days
     * between the end slices, whose counts are then made for every combination and serve the picked ones' rows too,
     * unless the whole range's merges fewer buckets (an aligned month). Never for totals whose page views alone are
     * read.
     */
    static Optional<TotalsCover> totalsCover(
            UvQuestion question,
            boolean slicesTile,
            SliceCover cover,
            List<List<SliceCover.Piece>> sliceCovers,
            Coverage coverage,
            Function<Instant, Optional<RealtimeSketches.Granule>> tail) {
        List<UvQuestion.TimeSlice> slices = question.slices();
        if (slicesTile && (slices.size() < 2 || question.measure() == UvQuestion.Measure.SLICE_UV)) {
            return Optional.empty();
        }
        boolean allRows = question.rows() == UvQuestion.RowSelection.ALL;
        List<SliceCover.Piece> whole = cover.cover(question.from(), question.to(), coverage, tail);
        if (!slicesTile) {
            return Optional.of(new TotalsCover(whole, false));
        }
        if (!allRows) {
            // the end slices are then counted for every combination to total them, and the picked ones' rows take
            // those counts: worth it when that is no more than the whole range's cover merges
            if (slices.size() > 2) {
                List<SliceCover.Piece> between = between(question, cover, coverage, tail);
                int ends = storedPieces(List.of(sliceCovers.get(0), sliceCovers.get(slices.size() - 1)));
                if (storedPieces(List.of(between)) + ends <= storedPieces(List.of(whole))) {
                    return Optional.of(new TotalsCover(between, true));
                }
            }
            return Optional.of(new TotalsCover(whole, false));
        }
        // in sketches folded into each split value's total: one per slice's count from the slices; one per stored
        // bucket from a cover of their own; at most half as many for a cover of their own to be worth its lookups
        int fromSlices = slices.size();
        int ownCover = storedPieces(List.of(whole));
        if (slices.size() > 2) {
            List<SliceCover.Piece> between = between(question, cover, coverage, tail);
            int betweenEnds = storedPieces(List.of(between)) + 2;
            if (betweenEnds < ownCover && betweenEnds * 2 <= fromSlices) {
                return Optional.of(new TotalsCover(between, true));
            }
        }
        return ownCover * 2 <= fromSlices ? Optional.of(new TotalsCover(whole, false)) : Optional.empty();
    }

    /** The cover of the slices between the question's first and last. */
    private static List<SliceCover.Piece> between(
            UvQuestion question,
            SliceCover cover,
            Coverage coverage,
            Function<Instant, Optional<RealtimeSketches.Granule>> tail) {
        List<UvQuestion.TimeSlice> slices = question.slices();
        return cover.cover(slices.get(1).start(), slices.get(slices.size() - 1).start(), coverage, tail);
    }

    /** The totals' own cover: of the whole range, or of the slices between the first and the last. */
    record TotalsCover(List<SliceCover.Piece> pieces, boolean betweenEndSlices) {}

    /** How many whole stored buckets the covers merge. */
    private static int storedPieces(List<List<SliceCover.Piece>> covers) {
        int stored = 0;
        for (List<SliceCover.Piece> pieces : covers) {
            for (SliceCover.Piece piece : pieces) {
                if (piece instanceof SliceCover.Stored) {
                    stored++;
                }
            }
        }
        return stored;
    }

    /**
     * Whether every piece is in memory: stored, whole or cut, or the tailer's with its page views counted; nothing to
     * read from the source.
     */
    private static boolean inMemory(List<List<SliceCover.Piece>> covers) {
        for (List<SliceCover.Piece> pieces : covers) {
            for (SliceCover.Piece piece : pieces) {
                boolean inMemory = piece instanceof SliceCover.Stored
                        || piece instanceof SliceCover.Partial
                        || piece instanceof SliceCover.Realtime tailed
                                && tailed.granule().pageViews().isPresent();
                if (!inMemory) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether a count's split minutes could move it by more than its sketches' error. */
    private static boolean splitMinutesTooWide(List<Map<List<String>, CountBuilder>> counts) {
        return counts.stream().flatMap(c -> c.values().stream()).anyMatch(CountBuilder::splitMinutesTooWide);
    }

    /** Whether a count holding a cut's registers could have been an exact set, had the cut's values been read. */
    private static boolean couldHaveBeenExact(List<Map<List<String>, CountBuilder>> counts) {
        for (Map<List<String>, CountBuilder> perCombination : counts) {
            for (CountBuilder count : perCombination.values()) {
                if (count.couldHaveBeenExact()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static <T> T join(CompletableFuture<T> read) throws IOException {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    /**
     * The counts of the covers at {@code indices}, by index. With {@code helped}, a pool thread helps ({@link
     * HelpedWork}): the covers are split into two runs of about equal documents, each count settled ({@link
     * CountBuilder#settle}) where it was made; one cover alone is split into two runs of pieces whose counts are then
     * joined. Unions do not depend on grouping, so the counts are the same either way.
     */
    private Map<Integer, Map<List<String>, CountBuilder>> countCovers(
            Inputs in,
            List<List<SliceCover.Piece>> covers,
            List<Integer> indices,
            long[] merged,
            boolean[] uncertain,
            Predicate<List<String>> picked,
            boolean helped)
            throws IOException {
        Map<Integer, Map<List<String>, CountBuilder>> counted = new HashMap<>();
        if (!helped || indices.isEmpty()) {
            for (int i : indices) {
                counted.put(i, count(in, covers.get(i), merged, uncertain, picked));
            }
            return counted;
        }
        if (indices.size() == 1) {
            int only = indices.get(0);
            List<SliceCover.Piece> pieces = covers.get(only);
            int split = splitPoint(in, pieces);
            List<CoverPart> parts = HelpedWork.run(
                    List.of(
                            () -> countPart(in, List.of(pieces.subList(0, split)), List.of(only), picked, false),
                            () -> countPart(
                                    in, List.of(pieces.subList(split, pieces.size())), List.of(only), picked, false)),
                    executor);
            Map<List<String>, CountBuilder> joined = parts.get(0).counts().get(only);
            parts.get(1)
                    .counts()
                    .get(only)
                    .forEach((combination, count) -> joined.computeIfAbsent(
                                    combination,
                                    k -> new CountBuilder(in.definition().precision()))
                            .addAll(count));
            counted.put(only, joined);
            addUp(parts, merged, uncertain);
            return counted;
        }
        int[] weights = new int[indices.size()];
        for (int k = 0; k < indices.size(); k++) {
            for (SliceCover.Piece piece : covers.get(indices.get(k))) {
                weights[k] += documents(in, piece);
            }
        }
        int firstRun = Math.max(1, Math.min(indices.size() - 1, halfway(weights))); // at least one cover each
        List<Integer> first = indices.subList(0, firstRun);
        List<Integer> second = indices.subList(firstRun, indices.size());
        List<CoverPart> parts = HelpedWork.run(
                List.of(
                        () -> countPart(in, first.stream().map(covers::get).toList(), first, picked, true),
                        () -> countPart(in, second.stream().map(covers::get).toList(), second, picked, true)),
                executor);
        parts.forEach(part -> counted.putAll(part.counts()));
        addUp(parts, merged, uncertain);
        return counted;
    }

    /** The counts of one run of covers, made on one thread, with what they merged. */
    private record CoverPart(Map<Integer, Map<List<String>, CountBuilder>> counts, long merged, boolean uncertain) {}

    private CoverPart countPart(
            Inputs in,
            List<List<SliceCover.Piece>> covers,
            List<Integer> indices,
            Predicate<List<String>> picked,
            boolean settle)
            throws IOException {
        long[] merged = {0};
        boolean[] uncertain = {false};
        Map<Integer, Map<List<String>, CountBuilder>> counts = new HashMap<>();
        for (int k = 0; k < covers.size(); k++) {
            Map<List<String>, CountBuilder> perCombination = count(in, covers.get(k), merged, uncertain, picked);
            if (settle) {
                perCombination.values().forEach(CountBuilder::settle);
            }
            counts.put(indices.get(k), perCombination);
        }
        return new CoverPart(counts, merged[0], uncertain[0]);
    }

    private static void addUp(List<CoverPart> parts, long[] merged, boolean[] uncertain) {
        for (CoverPart part : parts) {
            merged[0] += part.merged();
            uncertain[0] |= part.uncertain();
        }
    }

    /**
     * Where to split one cover's pieces into two runs of about equal documents; never inside a run of stored granules,
     * whose cached block ({@link GranuleBlocks}) would then be two other blocks.
     */
    private static int splitPoint(Inputs in, List<SliceCover.Piece> pieces) {
        int[] weights = new int[pieces.size()];
        for (int i = 0; i < pieces.size(); i++) {
            weights[i] = documents(in, pieces.get(i));
        }
        int split = halfway(weights);
        while (split > 0 && split < pieces.size() && granule(pieces.get(split - 1)) && granule(pieces.get(split))) {
            split++;
        }
        return split;
    }

    /** The first index whose weights before it make at least half of all of them: two runs of about equal weight. */
    private static int halfway(int[] weights) {
        long total = 0;
        for (int weight : weights) {
            total += weight;
        }
        int at = 0;
        for (long sum = 0; at < weights.length && 2 * sum < total; at++) {
            sum += weights[at];
        }
        return at;
    }

    private static boolean granule(SliceCover.Piece piece) {
        return piece instanceof SliceCover.Stored stored && stored.level() == Level.GRANULE;
    }

    /** The stored documents of a whole or cut bucket: its share of a question's merging; none for other pieces. */
    private static int documents(Inputs in, SliceCover.Piece piece) {
        StoredBuckets.PieceKey key = piece instanceof SliceCover.Stored stored
                ? stored.key(in.definition())
                : piece instanceof SliceCover.Partial partial
                        ? partial.granule().key(in.definition())
                        : null;
        return key == null ? 0 : in.byPiece().getOrDefault(key, List.of()).size();
    }

    /** Every piece of one slice into its per-combination counts. */
    private Map<List<String>, CountBuilder> count(
            Inputs in,
            List<SliceCover.Piece> pieces,
            long[] merged,
            boolean[] uncertain,
            Predicate<List<String>> picked)
            throws IOException {
        UniqueCountDefinition definition = in.definition();
        DimensionSelection selection = in.selection();
        Map<StoredBuckets.PieceKey, List<StoredBuckets.Document>> byPiece = in.byPiece();
        Map<String, CachedSketch> sketches = in.sketches();
        boolean pvOnly = in.pvOnly();
        SourceSlices source = in.source();
        Map<List<String>, CountBuilder> counts = combinations();
        Function<List<String>, CountBuilder> builder =
                combination -> counts.computeIfAbsent(combination, k -> new CountBuilder(definition.precision()));
        Instant tailFrom = null;
        Instant tailTo = null;
        for (int at = 0; at < pieces.size(); at++) {
            SliceCover.Piece piece = pieces.get(at);
            int blockEnd = pvOnly ? at : GranuleBlocks.blockEnd(pieces, at, definition.granularity());
            if (blockEnd > at) {
                merged[0] += addBlock(in, pieces.subList(at, blockEnd), builder, picked);
                at = blockEnd - 1;
            } else if (piece instanceof SliceCover.Stored bucket) {
                for (StoredBuckets.Document document : byPiece.getOrDefault(bucket.key(definition), List.of())) {
                    List<String> combination = selection.combinationOfStored(document.dimensionValues());
                    if (!picked.test(combination)) {
                        continue;
                    }
                    if (pvOnly) {
                        builder.apply(combination).addPageViews(document.pv());
                    } else if (addStored(builder.apply(combination), document, sketches)) {
                        merged[0]++;
                    }
                }
            } else if (piece instanceof SliceCover.Partial partial) {
                SliceCover.Stored granule = partial.granule();
                long kept = Duration.between(partial.start(), partial.end()).toMillis();
                long length = Duration.between(granule.start(), granule.end()).toMillis();
                for (StoredBuckets.Document document : byPiece.getOrDefault(granule.key(definition), List.of())) {
                    List<String> combination = selection.combinationOfStored(document.dimensionValues());
                    CachedSketch sketch = sketches.get(document.id());
                    // its page views: those of the cut alone (CutPageViews)
                    if (!pvOnly && sketch != null && picked.test(combination)) {
                        CountBuilder count = builder.apply(combination);
                        // registers per minute only where the alternative is reading the source: for fine edges a
                        // pass over a granule's kept events per cut made unaligned daily split questions about twice
                        // as slow as the whole granule's bounds (30M-event benchmark)
                        Optional<GranuleCuts> cuts =
                                sketch.cuts().filter(c -> in.exactEdges() || c instanceof ValueMinutes);
                        if (cuts.isPresent()) {
                            GranuleCuts.Cut cut = cuts.get()
                                    .cut(
                                            Duration.between(granule.start(), partial.start())
                                                    .toMillis(),
                                            Duration.between(granule.start(), partial.end())
                                                    .toMillis(),
                                            length,
                                            definition.precision());
                            if (!cut.inside().isEmpty()) {
                                count.addCut(cut.inside());
                            }
                            if (!cut.uncertain().isEmpty()) {
                                CachedSketch mayHold = CachedSketch.of(cut.uncertain());
                                if (in.exactCuts() == ExactCuts.STORED
                                        && cuts.get() instanceof StepCuts
                                        && cut.uncertainWithinAMinute()) {
                                    // a count past the exact limit is an estimate anyway: one minute's values more
                                    // or less move it by less than its error (couldHaveBeenExact and
                                    // splitMinutesTooWide decide)
                                    count.addSplitMinute(mayHold, cut.uncertainKept(), cut.uncertainSpan());
                                } else {
                                    count.addPartial(mayHold, cut.uncertainKept(), cut.uncertainSpan());
                                    uncertain[0] = true;
                                }
                            }
                        } else {
                            count.addPartial(sketch, kept, length);
                            uncertain[0] = true;
                        }
                        merged[0]++;
                    }
                }
            } else if (piece instanceof SliceCover.Realtime tailed) {
                if (!pvOnly) {
                    forEachPicked(tailed.granule().sketches(), selection, picked, (combination, sketch) -> {
                        builder.apply(combination).addRealtime(sketch);
                        merged[0]++;
                    });
                }
                Optional<Map<List<String>, Long>> counted = tailed.granule().pageViews();
                if (counted.isPresent()) {
                    // counted by the tailer at its last poll, as of which the tail answers
                    forEachPicked(
                            counted.get(),
                            selection,
                            picked,
                            (combination, pv) -> builder.apply(combination).addPageViews(pv));
                } else {
                    // not counted yet (a state just restored): counted in the source, one read per contiguous run
                    if (tailTo == null || !tailTo.equals(piece.start())) {
                        readTailPageViews(source, tailFrom, tailTo, builder);
                        tailFrom = piece.start();
                    }
                    tailTo = piece.end();
                }
            } else if (pvOnly) {
                in.pageViewsFromSource()
                        .get((SliceCover.FromSource) piece)
                        .forEach((combination, pv) -> builder.apply(combination).addPageViews(pv));
            } else {
                in.fromSource().get((SliceCover.FromSource) piece).forEach((combination, read) -> {
                    if (picked.test(combination)) {
                        builder.apply(combination).addSource(read);
                    }
                });
            }
        }
        readTailPageViews(source, tailFrom, tailTo, builder);
        return counts;
    }

    /**
     * Each entry of a tail granule's map (keyed by dimension values, every subset as the stored documents are) that
     * the question reads, by the question's combination, when that combination is picked.
     */
    private static <T> void forEachPicked(
            Map<List<String>, T> byValues,
            DimensionSelection selection,
            Predicate<List<String>> picked,
            BiConsumer<List<String>, T> each) {
        byValues.forEach((values, value) -> {
            if (selection.matchesStored(values)) {
                List<String> combination = selection.combinationOfStored(values);
                if (picked.test(combination)) {
                    each.accept(combination, value);
                }
            }
        });
    }

    /**
     * A block of stored granules ({@link GranuleBlocks}) or whole days ({@link DayBlocks}) into the counts: per
     * combination the union of its pieces, cached, or (one piece, or a sketch missing) its pieces' documents one by
     * one; returns the documents merged.
     */
    private int addBlock(
            Inputs in,
            List<SliceCover.Piece> block,
            Function<List<String>, CountBuilder> builder,
            Predicate<List<String>> picked) {
        UniqueCountDefinition definition = in.definition();
        Map<List<String>, List<StoredBuckets.Document>> byCombination = new HashMap<>();
        for (SliceCover.Piece piece : block) {
            for (StoredBuckets.Document document :
                    in.byPiece().getOrDefault(((SliceCover.Stored) piece).key(definition), List.of())) {
                List<String> combination = in.selection().combinationOfStored(document.dimensionValues());
                if (picked.test(combination)) {
                    byCombination
                            .computeIfAbsent(combination, k -> new ArrayList<>(GranuleBlocks.GRANULES))
                            .add(document);
                }
            }
        }
        int merged = 0;
        for (Map.Entry<List<String>, List<StoredBuckets.Document>> entry : byCombination.entrySet()) {
            CountBuilder count = builder.apply(entry.getKey());
            List<StoredBuckets.Document> documents = entry.getValue();
            CachedSketch union = GranuleBlocks.union(
                    cache,
                    in.index(),
                    in.version(),
                    definition.precision(),
                    definition.granularity(),
                    documents,
                    in.sketches());
            if (union == null) {
                for (StoredBuckets.Document document : documents) {
                    if (addStored(count, document, in.sketches())) {
                        merged++;
                    }
                }
                continue;
            }
            long pv = 0;
            for (StoredBuckets.Document document : documents) {
                pv += document.pv();
            }
            // exact or not as the union itself is: a block's count is its union's, as its granules' together would be
            count.addStored(union, -1, false, pv);
            merged += documents.size();
        }
        return merged;
    }

    /**
     * A stored document's sketch, count and page views into {@code count}; false when its sketch is not there
     * (deleted since the catalogue saw it: no events of ours).
     */
    private static boolean addStored(
            CountBuilder count, StoredBuckets.Document document, Map<String, CachedSketch> sketches) {
        CachedSketch sketch = sketches.get(document.id());
        if (sketch == null) {
            return false;
        }
        count.addStored(sketch, document.uv(), document.exact(), document.pv());
        return true;
    }

    private static void readTailPageViews(
            SourceSlices source, Instant from, Instant to, Function<List<String>, CountBuilder> builder)
            throws IOException {
        if (from != null) {
            source.pageViews(from, to)
                    .forEach((combination, pv) -> builder.apply(combination).addPageViews(pv));
        }
    }

    /**
     * Combinations in value order, so rows come out the same way every time: value by value, a shorter list first
     * when it is the other's start (as the values joined by NUL would sort, without joining them per comparison).
     */
    private static Map<List<String>, CountBuilder> combinations() {
        return new TreeMap<>(UvQueryEngine::compareCombinations);
    }

    static int compareCombinations(List<String> a, List<String> b) {
        int common = Math.min(a.size(), b.size());
        for (int i = 0; i < common; i++) {
            int byValue = a.get(i).compareTo(b.get(i));
            if (byValue != 0) {
                return byValue;
            }
        }
        return Integer.compare(a.size(), b.size());
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
