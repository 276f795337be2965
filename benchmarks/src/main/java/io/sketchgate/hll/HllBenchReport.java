package io.sketchgate.hll;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs every hll benchmark in one JMH run and prints one row per measurement with Sketchgate,
 * DataSketches HLL_4 and HLL_8 side by side and the ratios Sketchgate / DataSketches (lower is
 * better: all figures are costs, time per value or per operation), plain stream-lib where a
 * benchmark measures it, then the size table.
 *
 * <p>Run: {@code benchmarks/hll-bench.sh [jmh options]}, default options
 * {@code -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
public final class HllBenchReport {

    private static final String INCLUDE = "io\\.sketchgate\\.hll\\..*Benchmark";

    private HllBenchReport() {}

    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            options.include(INCLUDE);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        printTable(results);
        System.out.println();
        SketchSizeReport.print(System.out);
    }

    static void printTable(Collection<RunResult> results) {
        // row label -> implementation -> score
        Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (RunResult result : results) {
            String method = result.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            int split = method.lastIndexOf('_');
            String row = method.substring(0, split);
            List<String> params = new ArrayList<>();
            for (String key : result.getParams().getParamsKeys()) {
                params.add(key + "=" + result.getParams().getParam(key));
            }
            if (!params.isEmpty()) {
                row += " " + String.join(",", params);
            }
            rows.computeIfAbsent(row, r -> new LinkedHashMap<>())
                    .put(method.substring(split + 1), result.getPrimaryResult().getScore());
            units.put(row, result.getPrimaryResult().getScoreUnit());
        }
        System.out.println("hll benchmarks: cost per operation (lower is better); ratio = Sketchgate / DataSketches");
        System.out.printf(
                Locale.ROOT,
                "%-38s %-8s %12s %12s %12s %10s %10s %12s%n",
                "benchmark",
                "unit",
                "sketchgate",
                "ds HLL_4",
                "ds HLL_8",
                "SG/HLL_4",
                "SG/HLL_8",
                "stream-lib");
        for (var row : rows.entrySet()) {
            Map<String, Double> scores = row.getValue();
            double ours = scores.getOrDefault("sketchgate", Double.NaN);
            double hll4 = scores.getOrDefault("hll4", Double.NaN);
            double hll8 = scores.getOrDefault("hll8", Double.NaN);
            Double streamLib = scores.get("streamlib");
            System.out.printf(
                    Locale.ROOT,
                    "%-38s %-8s %12.3f %12.3f %12.3f %10.2f %10.2f %12s%n",
                    row.getKey(),
                    units.get(row.getKey()),
                    ours,
                    hll4,
                    hll8,
                    ours / hll4,
                    ours / hll8,
                    streamLib == null ? "-" : String.format(Locale.ROOT, "%.3f", streamLib));
        }
        System.out.println("add rows are ns per value: values/s = 1e9 / score.");
    }
}
