package io.sketchgate.hll;

import java.util.concurrent.TimeUnit;
import org.apache.datasketches.hll.TgtHllType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Serialize and deserialize one p = 14 sketch holding 100, 10k or 1M distinct values: exact
 * set, and registers at two fill levels. DataSketches uses its compact form (what it would
 * store) and {@code heapify} (a decoded, independent copy, like ours).
 *
 * <p>Run: {@code benchmarks/hll-bench.sh}, or alone:
 * {@code java -jar benchmarks/target/benchmarks.jar 'io.sketchgate.hll.SerializationBenchmark' -f 1 -wi 2 -i 3 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SerializationBenchmark {

    @Param({"100", "10000", "1000000"})
    public int distinct;

    private HllSketch sketchgate;
    private org.apache.datasketches.hll.HllSketch hll4;
    private org.apache.datasketches.hll.HllSketch hll8;
    private byte[] sketchgateBytes;
    private byte[] hll4Bytes;
    private byte[] hll8Bytes;

    @Setup
    public void setUp() {
        long[] ids = BenchmarkData.distinct(distinct);
        sketchgate = BenchmarkData.sketchgate(ids);
        hll4 = BenchmarkData.datasketches(ids, TgtHllType.HLL_4);
        hll8 = BenchmarkData.datasketches(ids, TgtHllType.HLL_8);
        sketchgateBytes = sketchgate.serialize();
        hll4Bytes = hll4.toCompactByteArray();
        hll8Bytes = hll8.toCompactByteArray();
    }

    @Benchmark
    public byte[] serialize_sketchgate() {
        return sketchgate.serialize();
    }

    @Benchmark
    public byte[] serialize_hll4() {
        return hll4.toCompactByteArray();
    }

    @Benchmark
    public byte[] serialize_hll8() {
        return hll8.toCompactByteArray();
    }

    @Benchmark
    public HllSketch deserialize_sketchgate() {
        return HllSketch.deserialize(sketchgateBytes);
    }

    @Benchmark
    public org.apache.datasketches.hll.HllSketch deserialize_hll4() {
        return org.apache.datasketches.hll.HllSketch.heapify(hll4Bytes);
    }

    @Benchmark
    public org.apache.datasketches.hll.HllSketch deserialize_hll8() {
        return org.apache.datasketches.hll.HllSketch.heapify(hll8Bytes);
    }
}
