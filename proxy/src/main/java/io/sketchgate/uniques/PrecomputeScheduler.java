package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one definition's {@link PrecomputeJob}s inside the proxy, one at a time, and keeps their status.
 *
 * <p>Every {@code schedule_interval} it precomputes the granules closed since the {@link PrecomputedWatermark}
 * ({@code [watermark, now − lateness)}, aligned down); with no watermark yet, from the granule of the source's
 * oldest event. The job holds the definition's {@link JobLease}, so with several proxies on one cluster exactly
 * one runs it and the others report {@code waiting_for_lease}; an unfinished run of the same range resumes from
 * its checkpoint. A finished run moves the watermark, which makes the tailers drop those granules.
 * {@link #recompute} queues a recompute of an explicit range behind any running job.
 */
final class PrecomputeScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrecomputeScheduler.class);
    private static final Duration MANUAL_LEASE_WAIT = Duration.ofMinutes(1);

    private final RestClient client;
    private final Consumer<UniqueCountDefinition> written;
    private final UniqueCountDefinition definition;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final ExecutorService jobs;
    private final EsJson es;
    private final PrecomputedWatermark watermark;
    private final AtomicBoolean scheduledQueued = new AtomicBoolean();
    private final Object statusLock = new Object();

    // status, under statusLock
    private String state = "idle";
    private Map<String, Object> current = Map.of();
    /** Buckets written by this scheduler's finished runs (guarded by statusLock); the running one adds its own. */
    private long bucketsOfFinishedRuns;

    private long bucketsOfCurrentRun;
    private Map<String, Object> lastRun;
    private String lastError;
    private Instant watermarkSeen;
    private Instant nextRun;
    private int queued;
    private ScheduledFuture<?> ticker;

    PrecomputeScheduler(
            RestClient client, UniqueCountDefinition definition, Clock clock, ScheduledExecutorService timer) {
        this(client, definition, clock, timer, written -> {});
    }

    /** @param written told after each run that wrote documents, with the watermark already advanced */
    PrecomputeScheduler(
            RestClient client,
            UniqueCountDefinition definition,
            Clock clock,
            ScheduledExecutorService timer,
            Consumer<UniqueCountDefinition> written) {
        this.written = written;
        this.client = client;
        this.definition = definition;
        this.clock = clock;
        this.timer = timer;
        this.jobs = Executors.newSingleThreadExecutor(
                new DefaultThreadFactory("sketchgate-precompute-" + definition.name(), true));
        this.es = new EsJson(client);
        this.watermark = new PrecomputedWatermark(new JobStore(es));
    }

    void start() {
        if (definition.realtime().schedule()) {
            long every = definition.realtime().scheduleInterval().toMillis();
            synchronized (statusLock) {
                nextRun = clock.instant();
                ticker = timer.scheduleWithFixedDelay(this::queueScheduled, 0, every, TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Queues a recompute of {@code [from, to)}.
     *
     * @throws UniqueCountException when the range is empty, not aligned or not closed
     */
    Map<String, Object> recompute(Instant from, Instant to) {
        Instant horizon = Level.granuleStart(clock.instant().minus(definition.lateness()), definition.granularity());
        RangePlan.of(definition, from, to, horizon, "from=", "to=");
        synchronized (statusLock) {
            queued++;
        }
        jobs.execute(() -> run("manual", from, to, true, MANUAL_LEASE_WAIT));
        return status();
    }

    private void queueScheduled() {
        synchronized (statusLock) {
            nextRun = clock.instant().plus(definition.realtime().scheduleInterval());
        }
        if (scheduledQueued.compareAndSet(false, true)) {
            jobs.execute(() -> {
                scheduledQueued.set(false);
                runScheduled();
            });
        }
    }

    private void runScheduled() {
        Instant horizon = Level.granuleStart(clock.instant().minus(definition.lateness()), definition.granularity());
        Optional<Instant> from;
        try {
            Optional<Instant> through = watermark.read(definition);
            synchronized (statusLock) {
                watermarkSeen = through.orElse(null);
            }
            from = through.isPresent() ? through : oldestEventGranule();
        } catch (IOException | RuntimeException e) {
            failed("scheduled", e);
            return;
        }
        if (from.isPresent() && from.get().isBefore(horizon)) {
            run("scheduled", from.get(), horizon, false, Duration.ZERO);
        }
    }

    private void run(String kind, Instant from, Instant to, boolean recompute, Duration leaseWait) {
        Instant started = clock.instant();
        synchronized (statusLock) {
            if (kind.equals("manual")) {
                queued--;
            }
            state = "running";
            current = new LinkedHashMap<>(Map.of(
                    "kind",
                    kind,
                    "from",
                    from.toString(),
                    "to",
                    to.toString(),
                    "started_at",
                    started.toString(),
                    "progress",
                    0.0));
        }
        try {
            PrecomputeJob.Result result = PrecomputeJob.builder(client, definition)
                    .recompute(recompute)
                    .leaseWait(leaseWait)
                    .clock(clock)
                    .progress(this::progress)
                    .build()
                    .run(from, to);
            watermark.advance(definition, result.readFrom(), result.readTo());
            Optional<Instant> through = watermark.read(definition);
            synchronized (statusLock) {
                watermarkSeen = through.orElse(null);
                state = "idle";
                lastError = null;
                lastRun = finished(kind, from, to, started, result.upToDate() ? "up_to_date" : "completed");
                lastRun.put("read_from", result.readFrom().toString());
                lastRun.put("read_to", result.readTo().toString());
                lastRun.put("buckets_written", result.bucketsWritten());
                lastRun.put("took_ms", result.took().toMillis());
                current = Map.of();
                bucketsOfFinishedRuns += result.bucketsWritten();
                bucketsOfCurrentRun = 0;
            }
            if (result.bucketsWritten() > 0) {
                written.accept(definition);
            }
        } catch (LeaseHeldException e) {
            synchronized (statusLock) {
                state = "waiting_for_lease";
                lastRun = finished(kind, from, to, started, "lease_held");
                lastRun.put("holder", e.holder());
                current = Map.of();
            }
        } catch (IOException | RuntimeException e) {
            failed(kind, e);
            synchronized (statusLock) {
                lastRun = finished(kind, from, to, started, "failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void failed(String kind, Exception e) {
        LOG.warn("{}: {} precompute failed: {}", definition.name(), kind, e.getMessage());
        synchronized (statusLock) {
            bucketsOfFinishedRuns += bucketsOfCurrentRun; // written before the failure: they are in the index
            bucketsOfCurrentRun = 0;
            state = "failed";
            lastError = String.valueOf(e.getMessage());
            current = Map.of();
        }
    }

    private Map<String, Object> finished(String kind, Instant from, Instant to, Instant started, String outcome) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("kind", kind);
        run.put("from", from.toString());
        run.put("to", to.toString());
        run.put("started_at", started.toString());
        run.put("finished_at", clock.instant().toString());
        run.put("outcome", outcome);
        return run;
    }

    private void progress(PrecomputeJob.Progress progress) {
        synchronized (statusLock) {
            Map<String, Object> now = new LinkedHashMap<>(current);
            now.put(
                    "progress",
                    progress.granulesTotal() == 0
                            ? 1.0
                            : Math.round(10_000.0 * progress.granulesDone() / progress.granulesTotal()) / 10_000.0);
            now.put("granules_done", progress.granulesDone());
            now.put("granules_total", progress.granulesTotal());
            now.put("buckets_written", progress.bucketsWritten());
            now.put("buckets_per_second", Math.round(progress.bucketsPerSecond() * 10) / 10.0);
            now.put("eta_ms", progress.eta().toMillis());
            current = now;
            bucketsOfCurrentRun = progress.bucketsWritten();
        }
    }

    /** Share of the running job's range done, 0 to 1; 1 when no job runs (nothing is waiting to be written). */
    double progress() {
        synchronized (statusLock) {
            return current.get("progress") instanceof Number progress ? progress.doubleValue() : 1.0;
        }
    }

    /** Buckets written by this scheduler's jobs since start, the running one's so far included. */
    long bucketsWritten() {
        synchronized (statusLock) {
            return bucketsOfFinishedRuns + bucketsOfCurrentRun;
        }
    }

    /** The start of the granule of the source's oldest event, if it has any. */
    private Optional<Instant> oldestEventGranule() throws IOException {
        JsonNode answer = es.require(
                "POST",
                "/" + definition.source() + "/_search",
                Map.of(
                        "size",
                        0,
                        "track_total_hits",
                        false,
                        "aggs",
                        Map.of("oldest", Map.of("min", Map.of("field", definition.timeField())))),
                Map.of("ignore_unavailable", "true", "allow_no_indices", "true"));
        JsonNode value = answer.path("aggregations").path("oldest").path("value");
        if (!value.isNumber()) {
            return Optional.empty();
        }
        return Optional.of(Level.granuleStart(Instant.ofEpochMilli(value.asLong()), definition.granularity()));
    }

    Map<String, Object> status() {
        synchronized (statusLock) {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("state", state);
            status.put("schedule", definition.realtime().schedule());
            status.put("current", current.isEmpty() ? null : current);
            status.put("queued", queued);
            status.put("precomputed_through", watermarkSeen == null ? null : watermarkSeen.toString());
            status.put("last_run", lastRun);
            status.put("last_error", lastError);
            status.put("next_run_at", nextRun == null ? null : nextRun.toString());
            return status;
        }
    }

    /** Stops scheduling; a running job is interrupted and resumes from its checkpoint on the next start. */
    @Override
    public void close() {
        synchronized (statusLock) {
            if (ticker != null) {
                ticker.cancel(false);
            }
        }
        jobs.shutdownNow();
        try {
            if (!jobs.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("{}: the precompute job did not stop within 5s", definition.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
