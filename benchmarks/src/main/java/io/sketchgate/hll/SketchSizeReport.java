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
    out.printf(Locale.ROOT, "%-10s %11s %11s %11s %13s %13s%n",
        "distinct", "sketchgate", "ds HLL_4", "ds HLL_8", "ratio/HLL_4", "ratio/HLL_8");
    for (int n : new int[] {100, 10_000, 1_000_000}) {
      long[] ids = BenchmarkData.distinct(n);
      int ours = BenchmarkData.sketchgate(ids).serialize().length;
      int hll4 = BenchmarkData.datasketches(ids, TgtHllType.HLL_4).toCompactByteArray().length;
      int hll8 = BenchmarkData.datasketches(ids, TgtHllType.HLL_8).toCompactByteArray().length;
      out.printf(Locale.ROOT, "%-10d %11d %11d %11d %13.2f %13.2f%n",
          n, ours, hll4, hll8, (double) ours / hll4, (double) ours / hll8);
    }
    out.println();
    out.println("Exact set vs stream-lib sparse vs registers, p = 14 (bytes; sparse uses sp = 25)");
    out.printf(Locale.ROOT, "%-10s %14s %20s %16s%n",
        "distinct", "exact (8 B/h)", "stream-lib sparse", "dense registers");
    SplittableRandom random = new SplittableRandom(25);
    int dense = HllSketch.create(14, 1).serialize().length;
    for (int n : new int[] {256, 512, 1024, 1280, 2048, 4096, 4500, 8192, 12288}) {
      HyperLogLogPlus sparse = new HyperLogLogPlus(14, 25);
      for (int i = 0; i < n; i++) {
        sparse.offerHashed(random.nextLong());
      }
      int exact = SketchFormat.HEADER_LENGTH + SketchFormat.TRAILER_LENGTH + 8 * n;
      out.printf(Locale.ROOT, "%-10d %14d %20d %16d%n", n, exact, sparse.getBytes().length, dense);
    }
  }
}
