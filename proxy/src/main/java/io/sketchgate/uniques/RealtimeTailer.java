package io.sketchgate.uniques;

import io.sketchgate.config.RealtimeSettings;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the open granules of one definition in memory as sketches, for queries to union with the stored ones.
 *
 * <h2>Polls</h2>
 * Every {@code poll_interval} it reads ({@link TailReader}) the events from {@code cursor − overlap} (never before
 * the floor) to the end of the current granule and adds each value to the sketches of its granule
 * ({@link OpenGranules}). The cursor is the newest event time read (at most the poll's time), so each poll reads
 * the overlap again: events that arrive up to {@code overlap} (default: the lateness) after newer ones are caught;
 * adding a value twice changes no distinct count. The open granules' page views are then counted
 * ({@link TailPageViews}: one composite aggregation without values, each poll's count replacing the last), so a
 * question reaching into the tail needs no request for them; never summed from the tail's events, which an
 * overlapping poll reads twice.
 *
 * <h2>Floor</h2>
 * A fresh tailer starts at the granule containing {@code now − lateness − granularity}: the oldest granule that
 * may still be open, and one more for the scheduler to close. Granules the batch has precomputed (the
 * {@link PrecomputedWatermark}, read every poll) are dropped; so the floor only rises.
 *
 * <h2>Persistence and failures</h2>
 * Every {@code persist_interval} the state goes to {@link TailerStore}; a restart loads it and re-reads only from
 * {@code cursor − overlap} (a state older than a fresh start's window is cut to that window). Until the state is
 * loaded nothing is polled, so a proxy started while Elasticsearch is down never overwrites a good state: it
 * retries with exponential backoff (from the poll interval up to 30 s) and resumes on its own.
 */
final class RealtimeTailer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RealtimeTailer.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final int PAGE_SIZE = 5_000;

    private final UniqueCountDefinition definition;
    private final RealtimeSettings settings;
    private final TailReader reader;
    private final TailPageViews pageViews;
    private final TailerStore store;
    private final PrecomputedWatermark watermark;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Duration granularity;

    /** What readers see: replaced after each poll, never modified. */
    private volatile View view = new View(Map.of(), Optional.empty());

    private volatile String state = "starting";
    private volatile Optional<String> lastError = Optional.empty();
    private volatile Optional<Instant> lastPersisted = Optional.empty();
    private volatile Optional<Instant> restoredCursor = Optional.empty();
    private volatile long polls;
    private volatile long valuesRead;
    private volatile long lastPollHits;
    private volatile long lastPollMillis;
    private volatile Held held = new Held(null, null, 0, 0, 0);

    // owned by the tick, under this
    private OpenGranules granules;
    private Instant cursor;
    private Instant lastPersistAttempt = Instant.MIN;
    private int failures;
    private boolean closed;
    private ScheduledFuture<?> next;

    /** Counters of {@link #granules} for {@link #status}, which must not wait for a poll. */
    private record Held(Instant cursor, Instant floor, int sketches, long memoryBytes, int evicted) {}

    private record View(Map<Long, RealtimeSketches.Granule> granules, Optional<Instant> tailedThrough) {}

    RealtimeTailer(
            RestClient client, UniqueCountDefinition definition, Clock clock, ScheduledExecutorService executor) {
        EsJson es = new EsJson(client);
        this.definition = definition;
        this.settings = definition.realtime();
        this.reader = new TailReader(es, definition, PAGE_SIZE);
        this.pageViews = new TailPageViews(client, definition);
        this.store = new TailerStore(es, definition);
        this.watermark = new PrecomputedWatermark(new JobStore(es));
        this.clock = clock;
        this.executor = executor;
        this.granularity = definition.granularity();
    }

    synchronized void start() {
        next = executor.schedule(this::tick, 0, TimeUnit.MILLISECONDS);
    }

    Optional<RealtimeSketches.Granule> granule(Instant start) {
        return Optional.ofNullable(view.granules().get(start.toEpochMilli()));
    }

    Optional<Instant> tailedThrough() {
        return view.tailedThrough();
    }

    /** One poll (after loading the state if not done yet), a save when due, and the next tick. */
    synchronized void tick() {
        if (closed) {
            return;
        }
        Duration delay = settings.pollInterval();
        try {
            if (granules == null) {
                if (failures == 0) {
                    state = "restoring";
                }
                restore();
            }
            poll();
            if (!clock.instant().isBefore(lastPersistAttempt.plus(settings.persistInterval()))) {
                lastPersistAttempt = clock.instant();
                persist();
            }
            failures = 0;
            lastError = Optional.empty();
            state = "tailing";
        } catch (IOException | RuntimeException e) {
            failures++;
            lastError = Optional.of(String.valueOf(e.getMessage()));
            state = granules == null ? "waiting_for_elasticsearch" : "retrying";
            delay = backoff();
            if (failures == 1) {
                LOG.warn(
                        "{}: tailer failed, retrying in {} ms: {}",
                        definition.name(),
                        delay.toMillis(),
                        e.getMessage());
            } else {
                LOG.debug(
                        "{}: tailer failed again ({}), retrying in {} ms",
                        definition.name(),
                        failures,
                        delay.toMillis(),
                        e);
            }
        }
        next = executor.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Duration backoff() {
        long millis = settings.pollInterval().toMillis() << Math.min(failures - 1, 16);
        return Duration.ofMillis(Math.min(
                Math.max(millis, settings.pollInterval().toMillis()),
                Math.max(MAX_BACKOFF.toMillis(), settings.pollInterval().toMillis())));
    }

    private void restore() throws IOException {
        Optional<Instant> precomputed = watermark.read(definition);
        Instant fresh =
                Level.granuleStart(clock.instant().minus(definition.lateness()).minus(granularity), granularity);
        Optional<TailerStore.State> saved = store.load();
        OpenGranules restored;
        Optional<Instant> tailedThrough = Optional.empty();
        if (saved.isPresent()) {
            TailerStore.State s = saved.get();
            restored = new OpenGranules(definition, s.floor());
            s.evicted().forEach(restored::restoreEvicted);
            s.sketches().forEach(restored::restore);
            cursor = s.cursor();
            tailedThrough = s.tailedThrough();
            restoredCursor = Optional.of(s.cursor());
            if (s.cursor().isBefore(fresh)) {
                restored.raiseFloor(fresh); // down longer than the window: re-read no more than a fresh start
            }
            LOG.info(
                    "{}: tailer resumes at {} with {} open granules",
                    definition.name(),
                    s.cursor(),
                    restored.granuleCount());
        } else {
            restored = new OpenGranules(definition, fresh);
            cursor = fresh;
        }
        Map<Long, RealtimeSketches.Granule> loaded = restored.snapshot(Map.of());
        store.loaded(loaded);
        precomputed.ifPresent(restored::raiseFloor);
        granules = restored;
        count();
        view = new View(granules.snapshot(loaded), tailedThrough);
    }

    /** Publishes the counters; called before the view is published, so {@link #status} is never behind it. */
    private void count() {
        held = new Held(
                cursor,
                granules.floor(),
                granules.sketchCount(),
                granules.memoryBytes(),
                granules.evicted().size());
    }

    private void poll() throws IOException {
        Instant started = clock.instant();
        watermark.read(definition).ifPresent(granules::raiseFloor);
        Instant from = max(granules.floor(), cursor.minus(settings.overlap()));
        Instant to = Level.granuleStart(started, granularity).plus(granularity);
        long[] values = {0};
        TailReader.Sweep sweep = reader.sweep(from, to, (time, dimensionValues, hash) -> {
            values[0]++;
            granules.add(time, dimensionValues, hash);
        });
        // after the sweep: every event it read is counted (with those indexed since, which the next sweep reads)
        Map<Long, Map<List<String>, Long>> counted = pageViews.count(granules.floor(), to);
        if (sweep.newest() != Long.MIN_VALUE) {
            Instant newest = Instant.ofEpochMilli(Math.min(sweep.newest(), started.toEpochMilli()));
            cursor = max(cursor, newest);
        }
        polls++;
        valuesRead += values[0];
        lastPollHits = sweep.hits();
        lastPollMillis = Duration.between(started, clock.instant()).toMillis();
        count();
        Map<Long, RealtimeSketches.Granule> snapshot = new TreeMap<>(granules.snapshot(view.granules()));
        snapshot.replaceAll((start, granule) -> granule.withPageViews(counted.getOrDefault(start, Map.of())));
        // a granule read with no value in it (none yet in the current one, or only events without the unique field):
        // held as known, with no sketch, so a question does not read it from the source to find nothing
        long step = granularity.toMillis();
        for (long start = granules.floor().toEpochMilli(); start < to.toEpochMilli(); start += step) {
            if (!snapshot.containsKey(start) && !granules.evicted().contains(start)) {
                snapshot.put(
                        start,
                        new RealtimeSketches.Granule(
                                Instant.ofEpochMilli(start),
                                Map.of(),
                                Optional.of(counted.getOrDefault(start, Map.of()))));
            }
        }
        // last: a reader that sees this view sees the counters of the same poll
        view = new View(snapshot, Optional.of(started));
    }

    private void persist() throws IOException {
        View current = view;
        Map<Long, RealtimeSketches.Granule> withValues = new TreeMap<>(current.granules());
        withValues.values().removeIf(granule -> granule.sketches().isEmpty()); // made again by the next poll
        store.save(withValues, granules.evicted(), cursor, granules.floor(), current.tailedThrough(), clock.instant());
        lastPersisted = Optional.of(clock.instant());
    }

    /** How far behind now the tailer's position is; empty before its first poll. */
    Optional<Duration> lag() {
        return view.tailedThrough().map(t -> Duration.between(t, clock.instant()));
    }

    /** For the API: where the tailer is and what it holds. */
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        View current = view;
        Held counts = held;
        Instant now = clock.instant();
        status.put("state", state);
        status.put(
                "tailed_through", current.tailedThrough().map(Instant::toString).orElse(null));
        status.put(
                "lag_ms",
                current.tailedThrough()
                        .map(t -> Duration.between(t, now).toMillis())
                        .orElse(null));
        status.put("cursor", counts.cursor() == null ? null : counts.cursor().toString());
        status.put("floor", counts.floor() == null ? null : counts.floor().toString());
        status.put(
                "open_granules",
                current.granules().values().stream()
                        .map(g -> g.start().toString())
                        .toList());
        status.put("sketches", counts.sketches());
        status.put("memory_bytes", counts.memoryBytes());
        status.put("evicted_granules", counts.evicted());
        status.put("polls", polls);
        status.put("values_read", valuesRead);
        status.put("last_poll_hits", lastPollHits);
        status.put("last_poll_ms", lastPollMillis);
        status.put("last_persisted_at", lastPersisted.map(Instant::toString).orElse(null));
        status.put("restored_from", restoredCursor.map(Instant::toString).orElse(null));
        status.put("last_error", lastError.orElse(null));
        return status;
    }

    /** Stops polling and saves the state once more (best effort: a failure is only logged). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (next != null) {
            next.cancel(false);
        }
        if (granules != null) {
            try {
                persist();
            } catch (IOException | RuntimeException e) {
                LOG.debug("{}: could not save the tailer state at close: {}", definition.name(), e.getMessage());
            }
        }
        state = "stopped";
    }

    /** For tests: the granules held after the last poll. */
    Map<Long, RealtimeSketches.Granule> granules() {
        return new TreeMap<>(view.granules());
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
