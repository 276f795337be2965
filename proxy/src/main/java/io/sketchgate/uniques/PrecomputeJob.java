package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.Durations;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.BulkLoader;
import io.sketchgate.es.EsJson;
import io.sketchgate.hll.HllSketch;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch precompute of one definition over a closed range: reads the source once with a composite
 * aggregation ({@link SourceScanner}) and writes every granule, day, week and month bucket (per zone) for
 * every subset of the dimensions into {@code sketchgate-uv-<name>} ({@link UvIndex}), with exact UV and PV, and
 * the fine tier ({@link Level#FINE}) for the root subset only, with its page views per minute: the source is read
 * per minute, each row folded into its fine granule and its granule, so all come from one pass. Granules of every
 * subset keep their page views per minute too ({@link UniqueCountDefinition#granulePvSteps}).
 *
 * <h2>Streaming and memory</h2>
 * Rows arrive ordered by granule. The current granule holds one {@link BucketAccumulator} per dimension
 * subset and value combination; when the granule ends, its documents are written and its accumulators are
 * merged (exact union of hash sets) into the calendar buckets that contain it, which stay open until their
 * end. So at any time memory holds the current granule and one open day, week and month per zone — each
 * at most {@code max_exact_values} hashes (12–24 bytes each) per dimension combination, or 2^p bytes of
 * registers once above it.
 *
 * <h2>Checkpoint and resume</h2>
 * After each request's granules, pending documents are flushed with {@code _bulk} and then the checkpoint
 * ({@link Checkpoint}) records the position. Both run on a writer thread ({@link WriteAhead}) while the next
 * request is read, one request ahead at most, in order: the checkpoint is saved only after its documents.
 * The source is read a bounded distance ahead too ({@link ScanAhead}: the next composite page is fetched while
 * the current one is accumulated). Calendar buckets are written only once complete, so every document
 * ending at or before the position is in the index. A job killed anywhere restarts at
 * {@link RangePlan#restartPoint}: it re-reads the still-open calendar buckets from their start (their hash sets
 * were lost) without rewriting documents that end at or before the position. Documents are a deterministic
 * function of the source and the definition (ids from {@link BucketKey#id()}, sketches independent of
 * order, {@code watermark} = the end of the read range), so the index ends up identical to an uninterrupted
 * run's except for {@code computed_at}.
 *
 * <h2>Lease</h2>
 * The job holds its definition's {@link JobLease} from before the checkpoint is read until after it is last
 * written, renewing it between requests.
 */
public final class PrecomputeJob {
    private static final Logger LOG = LoggerFactory.getLogger(PrecomputeJob.class);
    private static final String UTC = "UTC";

    private final RestClient client;
    private final UniqueCountDefinition definition;
    private final int pageSize;
    private final int granulesPerRequest;
    private final int bulkSize;
    private final long bulkBytes;
    private final int bulkStreams;
    private final Duration leaseTtl;
    private final Duration leaseWait;
    private final boolean recompute;
    private final Clock clock;
    private final String owner;
    private final Consumer<Progress> progress;

    private PrecomputeJob(Builder builder) {
        this.client = builder.client;
        this.definition = builder.definition;
        this.pageSize = builder.pageSize;
        this.granulesPerRequest = builder.granulesPerRequest;
        this.bulkSize = builder.bulkSize;
        this.bulkBytes = builder.bulkBytes;
        this.bulkStreams = builder.bulkStreams;
        this.leaseTtl = builder.leaseTtl;
        this.leaseWait = builder.leaseWait;
        this.recompute = builder.recompute;
        this.clock = builder.clock;
        this.owner = builder.owner;
        this.progress = builder.progress;
    }

    /** The batch scan's time bucket with a fine tier: each event's own millisecond ({@link EventMillis}). */
    static final Duration EVENT_RESOLUTION = Duration.ofMillis(1);

    private static int finePvSteps(Duration fine) {
        return Math.toIntExact(fine.toMillis() / UniqueCountDefinition.FINE_PV_STEP.toMillis());
    }

    public static Builder builder(RestClient client, UniqueCountDefinition definition) {
        return new Builder(client, definition);
    }

    /**
     * Precomputes {@code [from, to)}, resuming an unfinished run of the same range and definition version.
     *
     * @throws UniqueCountException for a bad range, a definition that does not fit the mapping, or a lease held
     *                              elsewhere
     */
    public Result run(Instant from, Instant to) throws IOException, InterruptedException {
        Instant started = clock.instant();
        Instant horizon = Level.granuleStart(started.minus(definition.lateness()), definition.granularity());
        RangePlan plan = RangePlan.of(definition, from, to, horizon);
        EsJson es = new EsJson(client);
        SourceMappingCheck.check(es, definition);
        JobStore store = new JobStore(es);
        store.ensureIndex();
        try (JobLease lease = JobLease.acquire(store, definition.name(), owner, leaseTtl, leaseWait, clock)) {
            Optional<Checkpoint> previous = recompute
                    ? Optional.empty()
                    : store.checkpoint(definition.name())
                            .filter(c -> c.sameJob(definition.version(), from, to, plan.readFrom(), plan.readTo()));
            if (previous.isPresent() && previous.get().status().equals(Checkpoint.COMPLETED)) {
                LOG.info(
                        "{}: {} to {} is already precomputed; --recompute computes it again",
                        definition.name(),
                        from,
                        to);
                return new Result(
                        definition.name(),
                        plan.readFrom(),
                        plan.readTo(),
                        0,
                        0,
                        0,
                        Duration.between(started, clock.instant()),
                        false,
                        true);
            }
            UvIndex.ensure(es, definition);
            Instant position = previous.map(Checkpoint::position).orElse(plan.readFrom());
            try (WriteAhead writer = new WriteAhead(definition.name())) {
                Run run = new Run(es, store, lease, plan, position, started, writer);
                try {
                    return run.execute();
                } catch (IOException | RuntimeException | InterruptedException e) {
                    writer.close(); // nothing may be written after the failure is recorded
                    run.fail(e);
                    throw e;
                }
            }
        }
    }

    /** One execution: the open buckets, pending documents and counters. */
    private final class Run {
        private final EsJson es;
        private final JobStore store;
        private final JobLease lease;
        private final RangePlan plan;
        /** Documents ending at or before this are already in the index. */
        private final Instant position;

        private final Instant restart;
        private final Instant started;
        private final long granule = definition.granularity().toMillis();
        private final String granuleLabel = Durations.format(definition.granularity());
        private final Optional<Duration> fine = definition.fineTier();
        /** The fine granule whose root-subset events {@link #fineRoot} holds; rows arrive in its order. */
        private long fineStart = Long.MIN_VALUE;

        private BucketAccumulator fineRoot;
        /** The fine granule's events, each at its millisecond ({@link EventMillis}). */
        private EventMillis.Builder fineEvents;
        /** The fine granule's page views per {@link UniqueCountDefinition#FINE_PV_STEP}, and the current step. */
        private final long[] finePageViews =
                new long[fine.map(PrecomputeJob::finePvSteps).orElse(0)];

        private int fineStep;
        /** The current row's milliseconds from the start of its fine granule. */
        private long fineOffset;

        private final int subsets = DimensionSubsets.count(definition);
        private final SourceScanner scanner;
        private final BulkLoader bulk;
        private final String index = UvIndex.name(definition);
        private final String version = definition.version();
        private final WriteAhead writer;
        private List<BulkLoader.BulkDocument> pending = new ArrayList<>();
        /** Calendar buckets being filled, in the order they were opened. */
        private final Map<OpenKey, OpenBucket> open = new LinkedHashMap<>();

        private Map<List<String>, BucketAccumulator> current = new HashMap<>();
        /** Steps of a granule's page views ({@link UniqueCountDefinition#granulePvSteps}), 0 for none. */
        private final int granuleSteps = definition.granulePvSteps().orElse(0);
        /** Per combination of the current granule, its page views per step, and the current row's step. */
        private Map<List<String>, long[]> currentSteps = new HashMap<>();

        /**
         * With a fine tier and dimensions: per combination of every dimension (the finest subset) of the current
         * granule, its events' milliseconds ({@link EventMillis}), from which a split or filtered question's cut off
         * the minute takes its page views per value.
         */
        private final boolean combinationMillis = granuleSteps > 0 && subsets > 1;

        private Map<List<String>, EventMillis.Builder> currentMillis = new HashMap<>();
        private EventMillis.Builder lastMillis;
        private int granuleStep;
        private String[] lastValues;
        private BucketAccumulator[] lastAccumulators;
        private long[][] lastSteps;
        private Instant checkpointed;
        /** The position of the last checkpoint saved, whose documents are all written (set by the writer). */
        private volatile Instant saved;

        private long written;
        private long granulesRead;

        Run(
                EsJson es,
                JobStore store,
                JobLease lease,
                RangePlan plan,
                Instant position,
                Instant started,
                WriteAhead writer) {
            this.writer = writer;
            this.es = es;
            this.store = store;
            this.lease = lease;
            this.plan = plan;
            this.position = position;
            this.restart = plan.restartPoint(definition, position);
            this.started = started;
            this.checkpointed = position;
            this.saved = position;
            // with a fine tier the source is read per millisecond: each fine granule's page views per minute, and its
            // events' milliseconds, come along (rows per user and millisecond: hardly more than per user and minute)
            this.scanner = new SourceScanner(
                    client, definition, fine.isPresent() ? EVENT_RESOLUTION : definition.granularity(), pageSize);
            this.bulk = new BulkLoader(client, bulkSize, bulkBytes, loaded -> {});
        }

        Result execute() throws IOException, InterruptedException {
            boolean resumed = position.isAfter(plan.readFrom());
            if (resumed) {
                LOG.info(
                        "{}: resuming at {} (checkpoint {}), re-reading open calendar buckets from {}",
                        definition.name(),
                        position,
                        position,
                        restart);
            }
            saveCheckpoint(Checkpoint.RUNNING, Optional.empty());
            long total = (plan.readTo().toEpochMilli() - restart.toEpochMilli()) / granule;
            List<Instant[]> requests = new ArrayList<>();
            for (Instant at = restart; at.isBefore(plan.readTo()); ) {
                Instant end = min(plan.readTo(), at.plusMillis(granule * granulesPerRequest));
                requests.add(new Instant[] {at, end});
                at = end;
            }
            try (ScanAhead scan = new ScanAhead(scanner, requests, pageSize, definition.name())) {
                readAndWrite(scan, requests, total, resumed);
            }
            writer.drain();
            deleteStale();
            checkpointed = plan.readTo();
            saveCheckpoint(Checkpoint.COMPLETED, Optional.empty());
            es.require("POST", "/" + index + "/_refresh", null, Map.of());
            return new Result(
                    definition.name(),
                    plan.readFrom(),
                    plan.readTo(),
                    written,
                    granulesRead,
                    scanner.requests(),
                    Duration.between(started, clock.instant()),
                    resumed,
                    false);
        }

        /** Each request's rows (read ahead by {@code scan}) into granules, then its documents and checkpoint. */
        private void readAndWrite(ScanAhead scan, List<Instant[]> requests, long total, boolean resumed)
                throws IOException, InterruptedException {
            for (Instant[] request : requests) {
                Instant batchEnd = request[1];
                long[] next = {request[0].toEpochMilli()};
                scan.read((start, values, hasValue, hash, events) -> {
                    long granuleStart = Math.floorDiv(start, granule) * granule;
                    while (granuleStart > next[0]) {
                        completeGranule(next[0]);
                        next[0] += granule;
                    }
                    if (granuleSteps > 0) {
                        granuleStep = (int) ((start - granuleStart) / UniqueCountDefinition.FINE_PV_STEP.toMillis());
                    }
                    if (fine.isPresent()) {
                        long fineMillis = fine.get().toMillis();
                        long fineGranuleStart = Math.floorDiv(start, fineMillis) * fineMillis;
                        if (fineGranuleStart != fineStart) {
                            completeFine();
                            fineStart = fineGranuleStart;
                        }
                        fineOffset = start - fineStart;
                        fineStep = (int) (fineOffset / UniqueCountDefinition.FINE_PV_STEP.toMillis());
                        if (fineEvents == null) {
                            fineEvents = EventMillis.builder(fineMillis);
                        }
                        fineEvents.add(fineOffset, events);
                    }
                    add(values, hasValue, hash, events, start - granuleStart);
                });
                for (long g = next[0]; g < batchEnd.toEpochMilli(); g += granule) {
                    completeGranule(g);
                }
                Instant cursor = batchEnd;
                if (cursor.isAfter(checkpointed)) {
                    checkpointed = cursor;
                }
                lease.renewIfDue(); // before handing the documents over: a lost lease writes nothing more
                writeAhead(pending, checkpoint(Checkpoint.RUNNING, Optional.empty()));
                pending = new ArrayList<>();
                long done = (cursor.toEpochMilli() - restart.toEpochMilli()) / granule;
                double seconds = Math.max(
                        0.001, Duration.between(started, clock.instant()).toMillis() / 1000.0);
                Duration eta = Duration.ofMillis(done == 0 ? 0 : (long) (seconds * 1000 * (total - done) / done));
                progress.accept(new Progress(definition.name(), done, total, written, written / seconds, eta, resumed));
            }
        }

        /** Called with no write in flight: records the position of the last checkpoint actually saved. */
        void fail(Exception e) {
            checkpointed = saved;
            try {
                saveCheckpoint(Checkpoint.FAILED, Optional.of(String.valueOf(e.getMessage())));
            } catch (IOException | RuntimeException ignored) {
                LOG.debug("{}: could not record the failure in the checkpoint", definition.name(), ignored);
            }
        }

        /** One composite row into every dimension subset of the current granule. */
        private void add(String[] values, boolean hasValue, long hash, long events, long granuleOffset) {
            if (!Arrays.equals(values, lastValues)) {
                lastValues = values;
                lastMillis = combinationMillis
                        ? currentMillis.computeIfAbsent(
                                DimensionSubsets.key(values, subsets - 1), k -> EventMillis.builder(granule))
                        : null;
                lastAccumulators = new BucketAccumulator[subsets];
                lastSteps = granuleSteps > 0 ? new long[subsets][] : null;
                for (int mask = 0; mask < subsets; mask++) {
                    List<String> key = DimensionSubsets.key(values, mask);
                    boolean root = mask == 0; // every dimension rolled up
                    lastAccumulators[mask] = current.computeIfAbsent(key, k -> granuleAccumulator(root));
                    if (lastSteps != null) {
                        lastSteps[mask] = currentSteps.computeIfAbsent(key, k -> new long[granuleSteps]);
                    }
                }
            }
            for (BucketAccumulator accumulator : lastAccumulators) {
                if (hasValue) {
                    accumulator.addHash(hash, granuleOffset);
                }
                accumulator.addPageViews(events);
            }
            if (lastSteps != null) {
                for (long[] steps : lastSteps) {
                    steps[granuleStep] += events;
                }
            }
            if (lastMillis != null) {
                lastMillis.add(granuleOffset, events);
            }
            if (fine.isPresent()) {
                if (fineRoot == null) {
                    fineRoot = BucketAccumulator.withMinutes(definition.precision(), definition.maxExactValues());
                }
                if (hasValue) {
                    fineRoot.addHash(hash, fineOffset);
                }
                fineRoot.addPageViews(events);
                finePageViews[fineStep] += events;
            }
        }

        /**
         * A granule's accumulator: it keeps its values' minutes when the source is read per minute, and past their
         * limit its registers per minute, except for the root subset, whose cuts the fine tier answers.
         */
        private BucketAccumulator granuleAccumulator(boolean rootSubset) {
            return granuleSteps > 0
                    ? BucketAccumulator.withMinutes(definition.precision(), definition.maxExactValues(), !rootSubset)
                    : new BucketAccumulator(definition.precision(), definition.maxExactValues());
        }

        /** The fine granule read so far, as its root-subset document (a fine granule without events has none). */
        private void completeFine() {
            if (fineRoot != null) {
                Instant start = Instant.ofEpochMilli(fineStart);
                Instant end = start.plus(fine.orElseThrow());
                if (end.isAfter(position)) {
                    List<String> root = DimensionSubsets.key(
                            new String[definition.dimensions().size()], 0);
                    EventMillis millis = fineEvents == null ? EventMillis.NONE : fineEvents.build();
                    document(
                            new BucketKey(Level.FINE.label(granuleLabel), UTC, start, root),
                            end,
                            fineRoot,
                            finePageViews.clone(),
                            // every event of the granule or none: a partial list would miscount a cut
                            millis.events() == fineRoot.pageViews() ? millis : EventMillis.NONE);
                }
                fineRoot = null;
                fineEvents = null;
                Arrays.fill(finePageViews, 0);
            }
        }

        private void completeGranule(long startMillis) {
            completeFine();
            Instant start = Instant.ofEpochMilli(startMillis);
            Instant end = start.plusMillis(granule);
            granulesRead++;
            if (end.isAfter(position)) {
                for (Map.Entry<List<String>, BucketAccumulator> entry : current.entrySet()) {
                    EventMillis.Builder millis = currentMillis.get(entry.getKey());
                    EventMillis kept = millis == null ? EventMillis.NONE : millis.build();
                    document(
                            new BucketKey(granuleLabel, UTC, start, entry.getKey()),
                            end,
                            entry.getValue(),
                            currentSteps.get(entry.getKey()),
                            // every event of the combination or none: a partial list would miscount a cut
                            kept.events() == entry.getValue().pageViews() ? kept : EventMillis.NONE);
                }
            }
            for (ZoneId zone : definition.timeZones()) {
                for (Level level : Level.CALENDAR) {
                    Instant bucketStart = level.start(start, zone);
                    Instant bucketEnd = level.end(bucketStart, zone);
                    if (!plan.writes(bucketStart, bucketEnd) || !bucketEnd.isAfter(position)) {
                        continue;
                    }
                    OpenBucket bucket =
                            open.computeIfAbsent(new OpenKey(level, zone, bucketStart), k -> new OpenBucket(bucketEnd));
                    current.forEach((values, accumulator) -> bucket.accumulators
                            .computeIfAbsent(
                                    values,
                                    k -> new BucketAccumulator(definition.precision(), definition.maxExactValues()))
                            .merge(accumulator));
                }
            }
            for (Iterator<Map.Entry<OpenKey, OpenBucket>> it = open.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<OpenKey, OpenBucket> entry = it.next();
                OpenKey key = entry.getKey();
                if (!entry.getValue().end.isAfter(end)) {
                    entry.getValue()
                            .accumulators
                            .forEach((values, accumulator) -> document(
                                    new BucketKey(key.level.label(granuleLabel), key.zone.getId(), key.start, values),
                                    entry.getValue().end,
                                    accumulator));
                    it.remove();
                }
            }
            current = new HashMap<>();
            currentSteps = new HashMap<>();
            currentMillis = new HashMap<>();
            lastMillis = null;
            lastValues = null;
            lastAccumulators = null;
            lastSteps = null;
        }

        private void document(BucketKey key, Instant end, BucketAccumulator accumulator) {
            document(key, end, accumulator, null, EventMillis.NONE);
        }

        private void document(BucketKey key, Instant end, BucketAccumulator accumulator, long[] pvByMinute) {
            document(key, end, accumulator, pvByMinute, EventMillis.NONE);
        }

        /**
         * @param pvByMinute a (fine) granule's page views per step, null for any other document
         * @param millis     a root-subset fine granule's events' milliseconds, {@link EventMillis#NONE} for others
         */
        private void document(
                BucketKey key, Instant end, BucketAccumulator accumulator, long[] pvByMinute, EventMillis millis) {
            Map<String, Object> dimensions = new LinkedHashMap<>();
            for (int i = 0; i < definition.dimensions().size(); i++) {
                dimensions.put(
                        definition.dimensions().get(i), key.dimensionValues().get(i));
            }
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("level", key.level());
            source.put("time_zone", key.zone());
            source.put("start", key.start().toString());
            source.put("end", end.toString());
            source.put("dimensions", dimensions);
            source.put("uv", accumulator.uniques());
            source.put("pv", accumulator.pageViews());
            if (pvByMinute != null) {
                source.put("pv_by_minute", pvByMinute);
            }
            if (millis.isPresent()) {
                source.put("event_millis", millis.toBase64());
            }
            source.put("exact", accumulator.isExact());
            HllSketch sketch = accumulator.toSketch();
            source.put("sketch", sketch.toBase64());
            accumulator.valueMinutes(sketch).ifPresent(minutes -> source.put("value_minutes", minutes));
            accumulator.valueMillis(sketch).ifPresent(offsets -> source.put("value_millis", offsets));
            accumulator.stepRegisters(sketch).ifPresent(steps -> {
                source.put("step_registers", Base64.getEncoder().encodeToString(steps.steps()));
                source.put("step_millis", Base64.getEncoder().encodeToString(steps.subSteps()));
            });
            source.put("watermark", plan.readTo().toString());
            source.put("computed_at", clock.instant().toString());
            source.put("definition_version", version);
            pending.add(BulkLoader.BulkDocument.of(index, key.id(), source));
            written++;
        }

        /** {@code documents}, then {@code checkpoint}, on the writer thread while the next request is read. */
        private void writeAhead(List<BulkLoader.BulkDocument> documents, Checkpoint checkpoint)
                throws IOException, InterruptedException {
            writer.submit(() -> {
                if (!documents.isEmpty()) {
                    bulk.loadConcurrently(documents, bulkStreams);
                }
                store.save(checkpoint);
                saved = checkpoint.position();
            });
        }

        /**
         * Documents of an earlier definition version inside the range read: their buckets may no longer exist.
         * Searched and deleted by id rather than {@code _delete_by_query}, which needs the reindex module.
         */
        private void deleteStale() throws IOException {
            es.require("POST", "/" + index + "/_refresh", null, Map.of());
            Map<String, Object> query = Map.of(
                    "size",
                    1000,
                    "_source",
                    false,
                    "query",
                    Map.of(
                            "bool",
                            Map.of(
                                    "filter",
                                            List.of(
                                                    Map.of(
                                                            "range",
                                                            Map.of(
                                                                    "start",
                                                                    Map.of(
                                                                            "gte",
                                                                            plan.readFrom()
                                                                                    .toString()))),
                                                    Map.of(
                                                            "range",
                                                            Map.of(
                                                                    "end",
                                                                    Map.of(
                                                                            "lte",
                                                                            plan.readTo()
                                                                                    .toString())))),
                                    "must_not", List.of(Map.of("term", Map.of("definition_version", version))))));
            while (true) {
                JsonNode hits = es.require("POST", "/" + index + "/_search", query, Map.of())
                        .path("hits")
                        .path("hits");
                if (hits.isEmpty()) {
                    return;
                }
                StringBuilder body = new StringBuilder();
                for (JsonNode hit : hits) {
                    body.append("{\"delete\":{\"_index\":\"")
                            .append(index)
                            .append("\",\"_id\":\"")
                            .append(hit.path("_id").asText())
                            .append("\"}}\n");
                }
                es.require("POST", "/_bulk", body.toString(), Map.of("refresh", "true"));
                LOG.info("{}: deleted {} documents of an earlier definition version", definition.name(), hits.size());
            }
        }

        private void saveCheckpoint(String status, Optional<String> error) throws IOException {
            store.save(checkpoint(status, error));
        }

        private Checkpoint checkpoint(String status, Optional<String> error) {
            double seconds =
                    Math.max(0.001, Duration.between(started, clock.instant()).toMillis() / 1000.0);
            return new Checkpoint(
                    definition.name(),
                    version,
                    plan.from(),
                    plan.to(),
                    plan.readFrom(),
                    plan.readTo(),
                    checkpointed,
                    status,
                    written,
                    written / seconds,
                    error,
                    clock.instant());
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private record OpenKey(Level level, ZoneId zone, Instant start) {}

    private static final class OpenBucket {
        final Instant end;
        final Map<List<String>, BucketAccumulator> accumulators = new HashMap<>();

        OpenBucket(Instant end) {
            this.end = end;
        }
    }

    /**
     * After each request of granules.
     *
     * @param granulesDone  granules read since this run started (or restarted)
     * @param bucketsPerSecond documents written per second of this run
     */
    public record Progress(
            String definition,
            long granulesDone,
            long granulesTotal,
            long bucketsWritten,
            double bucketsPerSecond,
            Duration eta,
            boolean resumed) {}

    /** @param upToDate the same range was already completed and nothing was done (no {@code --recompute}) */
    public record Result(
            String definition,
            Instant readFrom,
            Instant readTo,
            long bucketsWritten,
            long granulesRead,
            long searchRequests,
            Duration took,
            boolean resumed,
            boolean upToDate) {}

    /** Settings of one job; defaults suit production. */
    public static final class Builder {
        private final RestClient client;
        private final UniqueCountDefinition definition;
        private int pageSize = 10_000;
        private int granulesPerRequest = 6;
        private int bulkSize = 10_000;
        private long bulkBytes = 8L << 20;
        private int bulkStreams = 2;
        private Duration leaseTtl = Duration.ofSeconds(30);
        private Duration leaseWait = Duration.ZERO;
        private boolean recompute;
        private Clock clock = Clock.systemUTC();
        private String owner = defaultOwner();
        private Consumer<Progress> progress = p -> {};

        private Builder(RestClient client, UniqueCountDefinition definition) {
            this.client = Objects.requireNonNull(client, "client");
            this.definition = Objects.requireNonNull(definition, "definition");
        }

        /** Composite buckets per search request (default 10,000). */
        public Builder pageSize(int pageSize) {
            this.pageSize = positive(pageSize, "pageSize");
            return this;
        }

        /** Granules per bounded range query, and between checkpoints (default 6). */
        public Builder granulesPerRequest(int granules) {
            this.granulesPerRequest = positive(granules, "granulesPerRequest");
            return this;
        }

        /** At most this many documents per {@code _bulk} request (default 10,000). */
        public Builder bulkSize(int bulkSize) {
            this.bulkSize = positive(bulkSize, "bulkSize");
            return this;
        }

        /**
         * A {@code _bulk} request is sent once it holds this many bytes (default 8 MB, about 600 dense p = 14
         * sketches of 14 KB base64, or thousands of small ones): few requests without huge ones.
         */
        public Builder bulkBytes(long bytes) {
            this.bulkBytes = positive(Math.toIntExact(Math.min(bytes, Integer.MAX_VALUE)), "bulkBytes");
            return this;
        }

        /**
         * {@code _bulk} requests in flight at once for one request's documents (default 2): Elasticsearch
         * indexes one request on one thread per shard, and the bucket index has one shard.
         */
        public Builder bulkStreams(int streams) {
            this.bulkStreams = positive(streams, "bulkStreams");
            return this;
        }

        /** How long the lease outlives its last renewal (default 30s). */
        public Builder leaseTtl(Duration ttl) {
            if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("leaseTtl must be at least 1s, was " + ttl);
            }
            this.leaseTtl = ttl;
            return this;
        }

        /** How long to wait for another process's lease (default 0: refuse at once). */
        public Builder leaseWait(Duration wait) {
            this.leaseWait = Objects.requireNonNull(wait, "wait");
            return this;
        }

        /** Ignore any checkpoint and compute the whole range again. */
        public Builder recompute(boolean recompute) {
            this.recompute = recompute;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Who holds the lease, as shown to a refused second job (default host, pid and a random id). */
        public Builder owner(String owner) {
            this.owner = Objects.requireNonNull(owner, "owner");
            return this;
        }

        public Builder progress(Consumer<Progress> progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        public PrecomputeJob build() {
            return new PrecomputeJob(this);
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        private static String defaultOwner() {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "unknown-host";
            }
            return host + "/pid " + ProcessHandle.current().pid() + "/"
                    + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
