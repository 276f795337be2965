package io.sketchgate.admin;

import io.sketchgate.telemetry.SketchgateMetrics;
import io.sketchgate.telemetry.UsageRecorder;
import io.sketchgate.transport.FinishedRequest;
import io.sketchgate.transport.RequestObserver;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What metrics and usage add to each request on the event loop: {@code ClientConnection.finish} hands a
 * {@link FinishedRequest} to the Elasticsearch listener's observer (request counters, latency histograms, bytes,
 * Elasticsearch time, and the user's usage counters). {@code allowed} is the common case, {@code rejected} adds the
 * reason counter. Two threads, as two event loops record at once.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar 'io.sketchgate.admin.RequestAccountingBenchmark' -f 1 -wi 3 -i 5 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class RequestAccountingBenchmark {
    private static final FinishedRequest ALLOWED =
            new FinishedRequest("alice", FinishedRequest.Decision.ALLOWED, null, 200, 489, 2400, 3, 4_200_000, 2);
    private static final FinishedRequest REJECTED =
            new FinishedRequest("alice", FinishedRequest.Decision.REJECTED, "rate_limit", 429, 0, 380, -1, 90_000, -1);

    private SketchgateMetrics metrics;
    private RequestObserver observer;

    @Setup
    public void setUp() {
        metrics = new SketchgateMetrics();
        UsageRecorder usage = new UsageRecorder(InstantSource.system(), 100_000, metrics.registry());
        observer = RequestObserver.both(metrics.listener("elasticsearch"), usage);
    }

    @TearDown
    public void tearDown() {
        metrics.close();
    }

    @Benchmark
    public void allowed() {
        observer.finished(ALLOWED);
    }

    @Benchmark
    public void rejected() {
        observer.finished(REJECTED);
    }
}
