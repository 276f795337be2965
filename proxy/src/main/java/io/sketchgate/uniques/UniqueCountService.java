package io.sketchgate.uniques;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.config.UniqueCountsConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unique-count work a proxy does in the background, per definition in force: the {@link RealtimeTailer}
 * (unless {@code realtime.enabled: false}) and the {@link PrecomputeScheduler}. Started by the proxy, closed with
 * it. It is the proxy's {@link RealtimeSketches}, and reports status for {@code /_sketchgate/unique-counts}.
 *
 * <p>It follows {@link UniqueCountDefinitions}: when the set changes it reconciles, starting the work of a new
 * definition, restarting that of a changed one (the old tailer saves its state first; a new {@code version()}
 * resumes nothing of the old) and stopping that of a removed one. The running set is an immutable map behind a
 * volatile field, so status and the query merge read it without a lock.
 */
public final class UniqueCountService implements RealtimeSketches, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UniqueCountService.class);
    /** Two threads: tailers and scheduler ticks are short; the jobs themselves run on their own threads. */
    private static final int TIMER_THREADS = 2;

    /** One definition's background work. */
    private record Running(
            UniqueCountDefinition definition, Optional<RealtimeTailer> tailer, PrecomputeScheduler scheduler) {
        void start() {
            tailer.ifPresent(RealtimeTailer::start);
            scheduler.start();
        }

        void close() {
            scheduler.close();
            tailer.ifPresent(RealtimeTailer::close);
        }
    }

    private final RestClient client;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private volatile Map<String, Running> running = Map.of();
    private boolean closed; // guarded by this

    private final Consumer<UniqueCountDefinition> written;

    private UniqueCountService(RestClient client, Clock clock, Consumer<UniqueCountDefinition> written) {
        this.client = client;
        this.clock = clock;
        this.written = written;
        this.timer =
                Executors.newScheduledThreadPool(TIMER_THREADS, new DefaultThreadFactory("sketchgate-uniques", true));
    }

    /** Starts the work of the definitions in force and follows their changes; nothing here needs Elasticsearch up yet. */
    public static UniqueCountService start(RestClient client, UniqueCountDefinitions definitions, Clock clock) {
        return start(client, definitions, clock, definition -> {});
    }

    /**
     * @param written told after a scheduler run of a definition wrote documents (the bucket catalogue refreshes
     *     at once rather than at its next interval)
     */
    public static UniqueCountService start(
            RestClient client,
            UniqueCountDefinitions definitions,
            Clock clock,
            Consumer<UniqueCountDefinition> written) {
        UniqueCountService service = new UniqueCountService(client, clock, written);
        definitions.subscribe(service::reconcile);
        service.reconcile(definitions.get()); // after subscribing, so no swap is missed
        return service;
    }

    /** Starts the work of the file's definitions alone, for tools and tests that change nothing at run time. */
    public static UniqueCountService start(RestClient client, UniqueCountsConfig config, Clock clock) {
        return start(client, new UniqueCountDefinitions(config), clock);
    }

    /** Makes the running work match {@code next}: start new definitions, restart changed ones, stop removed ones. */
    synchronized void reconcile(UniqueCountsConfig next) {
        if (closed) {
            return;
        }
        Map<String, Running> old = running;
        Map<String, Running> now = new LinkedHashMap<>();
        List<Running> stopping = new ArrayList<>();
        List<Running> starting = new ArrayList<>();
        for (UniqueCountDefinition definition : next.definitions()) {
            Running current = old.get(definition.name());
            if (current != null && current.definition().equals(definition)) {
                now.put(definition.name(), current);
                continue;
            }
            if (current != null) {
                stopping.add(current);
            }
            Running started = new Running(
                    definition,
                    definition.realtime().enabled()
                            ? Optional.of(new RealtimeTailer(client, definition, clock, timer))
                            : Optional.empty(),
                    new PrecomputeScheduler(client, definition, clock, timer, written));
            now.put(definition.name(), started);
            starting.add(started);
        }
        old.forEach((name, work) -> {
            if (!now.containsKey(name)) {
                stopping.add(work);
            }
        });
        stopping.forEach(Running::close); // first: a restarted tailer reads the state the old one saved
        running = Collections.unmodifiableMap(now);
        starting.forEach(Running::start);
        stopping.forEach(w -> LOG.info(
                "unique count {}: {}",
                w.definition().name(),
                now.containsKey(w.definition().name())
                        ? "definition changed, tailer and scheduler restarted"
                        : "definition removed, tailer and scheduler stopped" + " (the index "
                                + UvIndex.name(w.definition()) + " is kept)"));
        starting.stream()
                .filter(w -> !old.containsKey(w.definition().name()))
                .forEach(w -> LOG.info(
                        "unique count {}: tailer and scheduler started",
                        w.definition().name()));
    }

    @Override
    public Optional<Granule> granule(String definition, Instant start) {
        return tailer(definition).flatMap(t -> t.granule(start));
    }

    @Override
    public Optional<Instant> tailedThrough(String definition) {
        return tailer(definition).flatMap(RealtimeTailer::tailedThrough);
    }

    /** How far the tailer of {@code name} is behind now; empty without a tailer or before its first poll. */
    public Optional<java.time.Duration> tailerLag(String name) {
        return tailer(name).flatMap(RealtimeTailer::lag);
    }

    /** Share of the running precompute job of {@code name} done; 1 when none runs, NaN for an unknown name. */
    public double jobProgress(String name) {
        Running work = running.get(name);
        return work == null ? Double.NaN : work.scheduler().progress();
    }

    /** Buckets the jobs of {@code name} wrote since its work started here; 0 for an unknown name. */
    public long bucketsWritten(String name) {
        Running work = running.get(name);
        return work == null ? 0 : work.scheduler().bucketsWritten();
    }

    public Optional<UniqueCountDefinition> definition(String name) {
        return Optional.ofNullable(running.get(name)).map(Running::definition);
    }

    public List<String> names() {
        return List.copyOf(running.keySet());
    }

    /** The definition, its job and its tailer, as the API shows them. */
    public Optional<Map<String, Object>> status(String name) {
        Running work = running.get(name);
        if (work == null) {
            return Optional.empty();
        }
        UniqueCountDefinition definition = work.definition();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("name", name);
        status.put("source", definition.source());
        status.put("index", UvIndex.name(definition));
        status.put("definition_version", definition.version());
        status.put("granularity", io.sketchgate.config.Durations.format(definition.granularity()));
        status.put("lateness", io.sketchgate.config.Durations.format(definition.lateness()));
        status.put("job", work.scheduler().status());
        status.put("realtime", work.tailer().map(RealtimeTailer::status).orElse(Map.of("state", "disabled")));
        return Optional.of(status);
    }

    public List<Map<String, Object>> statuses() {
        List<Map<String, Object>> all = new ArrayList<>();
        running.keySet().forEach(name -> status(name).ifPresent(all::add));
        return all;
    }

    /**
     * Queues a recompute of {@code [from, to)} of definition {@code name} and returns its job status.
     *
     * @throws UniqueCountException when the range is empty, not aligned or not closed, or the definition is gone
     */
    public Map<String, Object> recompute(String name, Instant from, Instant to) {
        Running work = running.get(name);
        if (work == null) {
            throw new UniqueCountException(List.of("no unique count [" + name + "]; it was removed"));
        }
        return work.scheduler().recompute(from, to);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            running.values().forEach(Running::close);
            running = Map.of();
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The tailer of a running definition; also for tests in this package. */
    Optional<RealtimeTailer> tailer(String name) {
        return Optional.ofNullable(running.get(name)).flatMap(Running::tailer);
    }
}
