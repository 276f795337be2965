package io.sketchgate.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sketchgate.transport.FinishedRequest;
import io.sketchgate.transport.RequestObserver;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The request meters of one listener. Every (status class, decision) counter exists from start-up in an array,
 * so recording a request is a few array reads and adds: no tags are built and no map is consulted, except a
 * rejection's reason, looked up by its code (a small fixed set) in a concurrent map.
 */
final class ListenerMetrics implements RequestObserver {
    /** Shown at zero from start-up, so dashboards and alerts need not wait for the first of each. */
    static final String[] KNOWN_REJECTIONS = {
        "unauthenticated",
        "rate_limit",
        "es_time_budget",
        "queue_full",
        "queue_timeout",
        "time_range",
        "time_filter_required",
        "unknown_role"
    };

    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final MeterRegistry registry;
    private final String listener;
    private final Counter[][] requests; // [status class][decision]
    private final ConcurrentMap<String, Counter> rejections = new ConcurrentHashMap<>();
    private final Timer duration;
    private final Timer upstreamDuration;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter esTime;

    ListenerMetrics(MeterRegistry registry, String listener) {
        this.registry = registry;
        this.listener = listener;
        FinishedRequest.Decision[] decisions = FinishedRequest.Decision.values();
        requests = new Counter[STATUS_CLASSES.length][decisions.length];
        for (int s = 0; s < STATUS_CLASSES.length; s++) {
            for (FinishedRequest.Decision decision : decisions) {
                requests[s][decision.ordinal()] = Counter.builder(SketchgateMetrics.REQUESTS)
                        .description("Requests finished, by listener, response status class and policy decision")
                        .tags("listener", listener, "status_class", STATUS_CLASSES[s], "decision", decision.label())
                        .register(registry);
            }
        }
        for (String reason : KNOWN_REJECTIONS) {
            rejection(reason);
        }
        duration = Timer.builder(SketchgateMetrics.REQUEST_DURATION)
                .description("Time from the request head to the end of the response, as the client sees it")
                .tag("listener", listener)
                .serviceLevelObjectives(SketchgateMetrics.LATENCY_BUCKETS)
                .register(registry);
        upstreamDuration = Timer.builder(SketchgateMetrics.UPSTREAM_DURATION)
                .description("Time from sending a request upstream to the end of its response")
                .tag("listener", listener)
                .serviceLevelObjectives(SketchgateMetrics.LATENCY_BUCKETS)
                .register(registry);
        bytesIn = Counter.builder(SketchgateMetrics.REQUEST_BYTES)
                .baseUnit("bytes")
                .description("Request body bytes read from clients")
                .tag("listener", listener)
                .register(registry);
        bytesOut = Counter.builder(SketchgateMetrics.RESPONSE_BYTES)
                .baseUnit("bytes")
                .description("Response body bytes written to clients")
                .tag("listener", listener)
                .register(registry);
        esTime = Counter.builder(SketchgateMetrics.ES_TIME)
                .baseUnit("seconds")
                .description("Elasticsearch time of forwarded responses (their took)")
                .tag("listener", listener)
                .register(registry);
    }

    @Override
    public void finished(FinishedRequest request) {
        int statusClass = Math.min(4, Math.max(0, request.status() / 100 - 1));
        requests[statusClass][request.decision().ordinal()].increment();
        if (request.rejectionCode() != null) {
            rejection(request.rejectionCode()).increment();
        }
        duration.record(request.durationNanos(), TimeUnit.NANOSECONDS);
        if (request.upstreamMillis() >= 0) {
            upstreamDuration.record(request.upstreamMillis(), TimeUnit.MILLISECONDS);
        }
        if (request.bytesIn() > 0) {
            bytesIn.increment(request.bytesIn());
        }
        if (request.bytesOut() > 0) {
            bytesOut.increment(request.bytesOut());
        }
        if (request.tookMillis() > 0) {
            esTime.increment(request.tookMillis() / 1000.0);
        }
    }

    private Counter rejection(String reason) {
        Counter counter = rejections.get(reason);
        if (counter == null) {
            counter = rejections.computeIfAbsent(
                    reason,
                    r -> Counter.builder(SketchgateMetrics.REJECTIONS)
                            .description("Requests refused by the policy, by reason")
                            .tags("listener", listener, "reason", r)
                            .register(registry));
        }
        return counter;
    }
}
