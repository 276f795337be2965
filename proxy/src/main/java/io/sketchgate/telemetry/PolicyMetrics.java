package io.sketchgate.telemetry;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.sketchgate.policy.PolicyMonitor;
import io.sketchgate.policy.Quotas;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The policy's side of metrics and usage: queue gauges and waits, cache hit ratios, users' roles. */
public final class PolicyMetrics implements PolicyMonitor {
    private final SketchgateMetrics metrics;
    private final UsageRecorder usage;
    private final Timer admittedWaits;
    private final Timer refusedWaits;

    public PolicyMetrics(SketchgateMetrics metrics, UsageRecorder usage) {
        this.metrics = metrics;
        this.usage = usage;
        this.admittedWaits = waitTimer("admitted");
        this.refusedWaits = waitTimer("refused");
    }

    private Timer waitTimer(String outcome) {
        return Timer.builder(SketchgateMetrics.QUEUE_WAIT)
                .description(
                        "Time queries waited in a user's max_concurrent queue; refused when they timed out or left")
                .tag("outcome", outcome)
                .serviceLevelObjectives(SketchgateMetrics.LATENCY_BUCKETS)
                .register(metrics.registry());
    }

    @Override
    public void started(Map<String, Cache<?, ?>> caches, Quotas quotas) {
        caches.forEach(metrics::monitorCache);
        Gauge.builder(SketchgateMetrics.QUEUE_WAITING, quotas, Quotas::waitingTotal)
                .description("Queries waiting for a max_concurrent slot, all users")
                .strongReference(true)
                .register(metrics.registry());
        Gauge.builder(SketchgateMetrics.QUEUE_RUNNING, quotas, Quotas::runningTotal)
                .description("Queries holding a max_concurrent slot, all users")
                .strongReference(true)
                .register(metrics.registry());
    }

    @Override
    public void queueWaited(String user, long waitNanos, boolean admitted) {
        (admitted ? admittedWaits : refusedWaits).record(waitNanos, TimeUnit.NANOSECONDS);
        usage.queueWaited(user, waitNanos);
    }

    @Override
    public void identified(String user, Set<String> roles) {
        usage.identified(user, roles);
    }
}
