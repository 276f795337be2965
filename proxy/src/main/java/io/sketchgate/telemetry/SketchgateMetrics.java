package io.sketchgate.telemetry;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sketchgate.transport.RequestObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The proxy's one {@link MeterRegistry} (Prometheus), created by {@code ProxyServer} and handed to the parts
 * that record. Meter names are constants here (Micrometer's dotted form; Prometheus shows {@code .} as
 * {@code _}, adds the unit and {@code _total} to counters) and documented in docs/metrics.md.
 *
 * <p>Hot-path meters are created once, at start-up or on first use of a label value from a small fixed set,
 * never per request. The methods under "hooks" are for the unique-count engine (sketch merges, sketch cache,
 * tailer lag, job progress): call them once per definition at start-up and keep the returned meter.
 *
 * <p>Gauges hold their state object strongly: Micrometer's default weak reference would turn a gauge over a
 * lambda into NaN after the next garbage collection.
 */
public final class SketchgateMetrics implements AutoCloseable {
    public static final String REQUESTS = "sketchgate.requests";
    public static final String REJECTIONS = "sketchgate.rejections";
    public static final String REQUEST_DURATION = "sketchgate.request.duration";
    public static final String UPSTREAM_DURATION = "sketchgate.upstream.duration";
    public static final String REQUEST_BYTES = "sketchgate.request.bytes";
    public static final String RESPONSE_BYTES = "sketchgate.response.bytes";
    public static final String ES_TIME = "sketchgate.es.time";
    public static final String IN_FLIGHT = "sketchgate.requests.in.flight";
    public static final String UPSTREAM_UP = "sketchgate.upstream.up";
    public static final String QUEUE_WAITING = "sketchgate.queue.waiting";
    public static final String QUEUE_RUNNING = "sketchgate.queue.running";
    public static final String QUEUE_WAIT = "sketchgate.queue.wait";
    public static final String CACHE_HIT_RATIO = "sketchgate.cache.hit.ratio";
    public static final String USAGE_FLUSHES = "sketchgate.usage.flushes";
    public static final String USAGE_DROPPED = "sketchgate.usage.dropped";
    // for the unique-count engine
    public static final String SKETCH_MERGES = "sketchgate.sketch.merges";
    public static final String UV_ELASTICSEARCH_REQUESTS = "sketchgate.uv.elasticsearch.requests";
    public static final String TAILER_LAG = "sketchgate.tailer.lag";
    public static final String CATALOGUE_DOCUMENTS = "sketchgate.bucket.catalogue.documents";
    public static final String CATALOGUE_BYTES = "sketchgate.bucket.catalogue.bytes";
    public static final String JOB_PROGRESS = "sketchgate.job.progress";
    public static final String JOB_BUCKETS = "sketchgate.job.buckets";

    /** Latency buckets (Prometheus {@code le}) from a cached lookup to a long dashboard query. */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60)
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private final java.util.concurrent.atomic.LongAdder ownElasticsearchRequests =
            new java.util.concurrent.atomic.LongAdder();

    public SketchgateMetrics() {
        io.micrometer.core.instrument.FunctionCounter.builder(
                        "sketchgate_elasticsearch_requests",
                        ownElasticsearchRequests,
                        java.util.concurrent.atomic.LongAdder::sum)
                .description("Requests Sketchgate itself sent to Elasticsearch (not forwarded client requests)")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /**
     * {@code sketchgate_elasticsearch_requests_total}: requests Sketchgate itself sends to Elasticsearch (unique-count
     * reads and writes, run-time config, usage, identity, index resolution); forwarded client requests are not
     * counted here. The benchmarks read it to show what a question costs Elasticsearch.
     */
    public java.util.concurrent.atomic.LongAdder ownElasticsearchRequests() {
        return ownElasticsearchRequests;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    /** The request meters of one listener ({@code elasticsearch} or {@code kibana}). */
    public RequestObserver listener(String name) {
        return new ListenerMetrics(registry, name);
    }

    /**
     * Caffeine's statistics as {@code cache_gets_total{cache=name,result=hit|miss}}, {@code cache_size},
     * {@code cache_evictions_total}..., plus {@value #CACHE_HIT_RATIO}. The cache must be built with
     * {@code recordStats()}.
     */
    public void monitorCache(String name, Cache<?, ?> cache) {
        CaffeineCacheMetrics.monitor(registry, cache, name);
        Gauge.builder(CACHE_HIT_RATIO, cache, c -> c.stats().hitRate())
                .description("Share of lookups answered from the cache since start")
                .tag("cache", name)
                .strongReference(true)
                .register(registry);
    }

    /** A 0/1 gauge per upstream node. */
    public void upstreamNode(String upstream, String node, Supplier<Boolean> up) {
        Gauge.builder(UPSTREAM_UP, up, u -> u.get() ? 1 : 0)
                .description("1 while the node answers health checks, else 0")
                .tags(Tags.of("upstream", upstream, "node", node))
                .strongReference(true)
                .register(registry);
    }

    // ---- hooks for the unique-count engine

    /** Sketches merged to answer queries of a definition; increment by the number merged. */
    public Counter sketchMerges(String definition) {
        return Counter.builder(SKETCH_MERGES)
                .description("HyperLogLog++ sketches merged to answer unique counts")
                .tag("definition", definition)
                .register(registry);
    }

    /**
     * {@code sketchgate_uv_elasticsearch_requests_total{definition}}: the requests unique-count answers sent, counted
     * per answer, so background reads (run-time config, the catalogue's refresh) never land in it.
     */
    public Counter uvElasticsearchRequests(String definition) {
        return Counter.builder(UV_ELASTICSEARCH_REQUESTS)
                .description("Requests to Elasticsearch that unique-count answers sent (catalogue loads, sketches,"
                        + " counts, source reads)")
                .tag("definition", definition)
                .register(registry);
    }

    /** The sketch cache (name {@code sketches}), with hit ratio, like the other caches. */
    public void monitorSketchCache(Cache<?, ?> cache) {
        monitorCache("sketches", cache);
    }

    /**
     * Stored bucket documents the in-memory catalogue holds, over every definition: what the catalogue's memory grows
     * with (one entry per document, fine tier included).
     */
    public void bucketCatalogue(LongSupplier documents, LongSupplier bytes) {
        Gauge.builder(CATALOGUE_DOCUMENTS, documents, LongSupplier::getAsLong)
                .description("Stored bucket documents held in memory by the bucket catalogue")
                .strongReference(true)
                .register(registry);
        Gauge.builder(CATALOGUE_BYTES, bytes, LongSupplier::getAsLong)
                .description("Estimated heap the bucket catalogue's documents take (sketches excluded: see the"
                        + " sketches cache)")
                .baseUnit("bytes")
                .strongReference(true)
                .register(registry);
    }

    /**
     * How far the real-time tailer's position (events before it are in its sketches) is behind now; NaN before its
     * first poll or without a tailer. It grows when polls fail or fall behind.
     */
    public void tailerLag(String definition, Supplier<Optional<Duration>> lag) {
        Gauge.builder(
                        TAILER_LAG,
                        lag,
                        l -> l.get().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN))
                .baseUnit("seconds")
                .description("How far the real-time tailer's position is behind now")
                .tag("definition", definition)
                .strongReference(true)
                .register(registry);
    }

    /** The share (0 to 1) of a precompute job's range done. */
    public void jobProgress(String definition, DoubleSupplier progress) {
        Gauge.builder(JOB_PROGRESS, progress, DoubleSupplier::getAsDouble)
                .baseUnit("ratio")
                .description("Share of the precompute job's range done, 0 to 1")
                .tag("definition", definition)
                .strongReference(true)
                .register(registry);
    }

    /** Buckets the precompute jobs of a definition have written, read from {@code written} (rate() gives buckets/s). */
    public void jobBuckets(String definition, LongSupplier written) {
        FunctionCounter.builder(JOB_BUCKETS, written, w -> w.getAsLong())
                .description("Sketch buckets written by precompute jobs")
                .tag("definition", definition)
                .register(registry);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
