package io.sketchgate.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sketchgate.config.UsageConfig;
import java.io.IOException;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Usage accounting end to end: the {@link UsageRecorder} counts, and every {@code usage.flush_interval} this
 * service adds the counts to the usage index ({@link UsageStore}). Flushes and usage queries run one at a time on
 * the service's own thread (the Elasticsearch client blocks; event loops never wait for it). A graceful stop
 * flushes once more; a crash loses at most the counts of one interval.
 */
public final class UsageService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsageService.class);

    private final UsageRecorder recorder;
    private final UsageStore store;
    private final ScheduledExecutorService thread;
    private final Counter flushed;
    private final Counter failedFlushes;

    public UsageService(UsageConfig config, RestClient client, InstantSource clock, MeterRegistry registry) {
        this.recorder = new UsageRecorder(clock, config.maxEntries(), registry);
        this.store = new UsageStore(client, config.index());
        this.thread = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("sketchgate-usage", true));
        this.flushed = Counter.builder(SketchgateMetrics.USAGE_FLUSHES)
                .tag("outcome", "ok")
                .description("Flushes of usage counters to Elasticsearch")
                .register(registry);
        this.failedFlushes = Counter.builder(SketchgateMetrics.USAGE_FLUSHES)
                .tag("outcome", "failed")
                .description("Flushes of usage counters to Elasticsearch")
                .register(registry);
        long every = config.flushInterval().toMillis();
        thread.scheduleWithFixedDelay(() -> flushNow(false), every, every, TimeUnit.MILLISECONDS);
    }

    public UsageRecorder recorder() {
        return recorder;
    }

    public UsageStore store() {
        return store;
    }

    /** Runs {@code work} on the usage thread, after any flush under way. */
    public <T> CompletableFuture<T> onUsageThread(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    result.complete(work.call());
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Writes what was counted since the last flush; on the usage thread only. */
    public void flushNow(boolean refresh) {
        List<UsageDelta> deltas = recorder.drain();
        if (deltas.isEmpty()) {
            if (refresh) {
                refreshQuietly(); // earlier periodic flushes wrote without refreshing
            }
            return;
        }
        List<UsageDelta> failed;
        try {
            UsageStore.Unwritten unwritten = store.add(deltas, refresh);
            failed = unwritten.deltas();
            if (!failed.isEmpty()) {
                LOG.warn(
                        "{} of {} usage documents were not written to {} (kept for the next flush); first: {}",
                        failed.size(),
                        deltas.size(),
                        store.index(),
                        unwritten.firstError());
            }
        } catch (IOException | RuntimeException e) {
            failed = deltas;
            LOG.warn(
                    "could not write usage counters to {} (kept for the next flush): {}",
                    store.index(),
                    e.getMessage());
        }
        failed.forEach(recorder::restore);
        (failed.isEmpty() ? flushed : failedFlushes).increment();
    }

    private void refreshQuietly() {
        try {
            store.refresh();
        } catch (IOException | RuntimeException e) {
            LOG.debug("refreshing {} before a usage query: {}", store.index(), e.getMessage());
        }
    }

    /** Flushes once more and stops. */
    @Override
    public void close() {
        try {
            onUsageThread(() -> {
                        flushNow(false);
                        return null;
                    })
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("last usage flush did not finish: {}", e.toString());
        }
        thread.shutdownNow();
    }
}
