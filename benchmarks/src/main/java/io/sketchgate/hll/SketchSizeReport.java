package io.sketchgate.hll;

import com.clearspring.analytics.stream.cardinality.HyperLogLogPlus;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.datasketches.hll.TgtHllType;

/**
 * Serialized bytes per sketch at p = lgK = 14, Sketchgate against DataSketches HLL_4 / HLL_8
 * compact form, and the measurement behind two defaults: the exact limit (where 8-byte hashes
 * stop being smaller than the registers) and not using stream-lib's sparse mode (where its
 * sparse bytes exceed the registers).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.sketchgate.hll.SketchSizeReport}
 * (also printed by {@code benchmarks/hll-bench.sh}).
 */
public final class SketchSizeReport {

    private SketchSizeReport() {}

    public static void main(String[] args) throws IOException {
        print(System.out);
    }

    static void print(PrintStream out) throws IOException {
        out.println("Bytes per serialized sketch, p = lgK = 14 (Sketchgate / DataSketches compact)");
        out.printf(
                Locale.ROOT,
                "%-10s %11s %11s %11s %13s %13s%n",
                "distinct",
                "sketchgate",
                "ds HLL_4",
                "ds HLL_8",
                "ratio/HLL_4",
                "ratio/HLL_8");
        for (int n : new int[] {100, 2_000, 10_000, 1_000_000}) {
            long[] ids = BenchmarkData.distinct(n);
            int ours = BenchmarkData.sketchgate(ids).serialize().length;
            int hll4 = BenchmarkData.datasketches(ids, TgtHllType.HLL_4).toCompactByteArray().length;
            int hll8 = BenchmarkData.datasketches(ids, TgtHllType.HLL_8).toCompactByteArray().length;
            out.printf(
                    Locale.ROOT,
                    "%-10d %11d %11d %11d %13.2f %13.2f%n",
                    n,
                    ours,
                    hll4,
                    hll8,
                    (double) ours / hll4,
                    (double) ours / hll8);
        }
        out.println();
        out.println("Why the defaults: bytes by representation at p = 14"
                + " (exact = 8 B per hash; register list = our SPARSE; stream-lib sparse uses sp = 25)");
        out.printf(
                Locale.ROOT,
                "%-10s %10s %15s %19s %10s%n",
                "distinct",
                "exact",
                "register list",
                "stream-lib sparse",
                "dense");
        SplittableRandom random = new SplittableRandom(25);
        for (int n : new int[] {256, 512, 1024, 1280, 2048, 4096, 6144, 8192, 12288}) {
            HyperLogLogPlus streamLib = new HyperLogLogPlus(14, 25);
            byte[] registers = new byte[1 << 14];
            for (int i = 0; i < n; i++) {
                long hash = random.nextLong();
                streamLib.offerHashed(hash);
                DenseRegisters.update(registers, 14, hash);
            }
            int overhead = SketchFormat.HEADER_LENGTH + SketchFormat.TRAILER_LENGTH;
            int list = SparseRegisters.encodedLength(registers, 14, Integer.MAX_VALUE);
            out.printf(
                    Locale.ROOT,
                    "%-10d %10d %15d %19d %10d%n",
                    n,
                    overhead + 8 * n,
                    overhead + list,
                    streamLib.getBytes().length,
                    overhead + DenseRegisters.packedLength(14));
        }
    }
}
