package io.sketchgate.uniques;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints a {@link UvBenchmarkRun.Result}: section (a), section (b), then one summary table with the ratios and
 * whether each target was met, and {@code SUMMARY} lines (tab-separated) that {@code benchmarks/run-all} collects.
 */
final class UvBenchReport {

    static final double PRECOMPUTE_TARGET = 2.0;
    static final double SPEED_TARGET = 100.0;

    private UvBenchReport() {}

    /** Prints the report; returns the summary rows as tab-separated lines for {@code benchmarks/run-all}. */
    static List<String> print(UvBenchmarkRun.Result result, PrintStream out) {
        List<String> summary = new ArrayList<>();
        var logs = result.logs();
        out.printf(
                Locale.ROOT,
                "%nUV benchmark: %,d events over %d days [%s, %s), %,d users, seed %d%n",
                logs.eventCount(),
                logs.days(),
                logs.start(),
                logs.end(),
                logs.users(),
                logs.seed());
        out.printf(
                Locale.ROOT,
                "definition: granularity 1h, zones %s, dimensions %s, precision %d%n",
                result.definition().timeZones(),
                result.definition().dimensions(),
                result.definition().precision());

        var scan = result.scan();
        var dims = result.scanWithDimensions();
        var job = result.precompute();
        double jobSeconds = seconds(job.took());
        double ratio = jobSeconds / seconds(scan.took());
        out.printf(Locale.ROOT, "%n(a) Precompute vs one scan (request_cache=false, 10,000 rows a page)%n");
        out.printf(Locale.ROOT, "%-58s %9s %8s %12s%n", "", "seconds", "pages", "rows");
        out.printf(
                Locale.ROOT,
                "%-58s %9.2f %8d %12d%n",
                "ES: one composite scan, 1h + user_id",
                seconds(scan.took()),
                scan.pages(),
                scan.rows());
        out.printf(
                Locale.ROOT,
                "%-58s %9.2f %8d %12d%n",
                "ES: one composite scan, 1h + dimensions + user_id (job's)",
                seconds(dims.took()),
                dims.pages(),
                dims.rows());
        out.printf(
                Locale.ROOT,
                "%-58s %9.2f %8d %12s%n",
                "PrecomputeJob, whole data (buckets written: " + job.bucketsWritten() + ")",
                jobSeconds,
                job.searchRequests(),
                "-");
        out.printf(
                Locale.ROOT,
                "ratio precompute / scan (1h + user_id): %.2f  (target <= %.0f: %s)%n",
                ratio,
                PRECOMPUTE_TARGET,
                met(ratio <= PRECOMPUTE_TARGET));
        out.printf(
                Locale.ROOT,
                "ratio precompute / scan with the job's sources: %.2f%n",
                jobSeconds / seconds(dims.took()));

        out.printf(
                Locale.ROOT,
                "%n(b) REPEATED question (not an analyst's load; see benchmarks/uv/questions.sh for distinct questions):"
                        + " UV API vs ES cardinality, %d warm-up + %d timed rounds, sides in turn;"
                        + " ES with request_cache=false%n",
                result.warmup(),
                result.repetitions());
        out.println("    p50/p90: client-side round trip; took p50: the server's own figure (ES took, UV API took_ms)");
        out.println("    (with the request cache ES would answer repeats of the same size-0 search from its cache;");
        out.println(
                "     the UV API reads stored bucket documents, and edge slices from the source, with ES's defaults)");
        out.printf(
                Locale.ROOT,
                "%-34s %-44s %9s %9s %9s %9s %9s %8s%n",
                "question",
                "side",
                "p50 ms",
                "p90 ms",
                "took p50",
                "max err",
                "mean err",
                "ES/UV");
        for (UvBenchmarkRun.QuestionResult question : result.questions()) {
            double uv = question.side(UvBenchmarkRun.UV_API).latencies().medianMillis();
            for (UvBenchmarkRun.Side side : question.sides()) {
                String speed = side.name().equals(UvBenchmarkRun.UV_API)
                        ? "-"
                        : String.format(Locale.ROOT, "%.1f", side.latencies().medianMillis() / uv);
                out.printf(
                        Locale.ROOT,
                        "%-34s %-44s %9.2f %9.2f %9.0f %8.3f%% %8.3f%% %8s%n",
                        question.question().label(),
                        side.name(),
                        side.latencies().medianMillis(),
                        side.latencies().p90Millis(),
                        side.serverTook().medianMillis(),
                        side.errors().max() * 100,
                        side.errors().mean() * 100,
                        speed);
            }
        }

        ScaleFigures.Figures scale = result.scale();
        out.printf(Locale.ROOT, "%n(c) Scale: sizes (primaries) and the proxy's memory%n");
        out.printf(Locale.ROOT, "%-58s %12s %14s%n", "", "MB", "documents");
        out.printf(
                Locale.ROOT,
                "%-58s %12.1f %,14d%n",
                "source indices (" + result.definition().source() + ")",
                megabytes(scale.source().bytes()),
                scale.source().documents());
        out.printf(
                Locale.ROOT,
                "%-58s %12.1f %,14d%n",
                "unique-count index (" + UvIndex.name(result.definition()) + ")",
                megabytes(scale.uniqueCounts().bytes()),
                scale.uniqueCounts().documents());
        out.printf(Locale.ROOT, "unique-count index / source: %.3f of the bytes%n", scale.indexToSourceRatio());
        out.printf(
                Locale.ROOT,
                "proxy heap retained after the questions (heap after GC with the proxy up, minus"
                        + " after it closed): %.1f MB%n",
                megabytes(scale.proxyRetained()));
        out.printf(Locale.ROOT, "precompute throughput: %,.0f events/s%n", logs.eventCount() / jobSeconds);
        summary.add(String.format(
                Locale.ROOT,
                "uv\tscale: unique-count index / source bytes\t%.1f MB\t%.1f MB\t%.3f\t-\t-",
                megabytes(scale.uniqueCounts().bytes()),
                megabytes(scale.source().bytes()),
                scale.indexToSourceRatio()));
        summary.add(String.format(
                Locale.ROOT, "uv\tscale: proxy heap retained\t%.1f MB\t-\t-\t-\t-", megabytes(scale.proxyRetained())));
        summary.add(String.format(
                Locale.ROOT,
                "uv\tscale: precompute of %,d events (throughput %,.0f events/s)\t%.1f s\t-\t-\t-\t-",
                logs.eventCount(),
                logs.eventCount() / jobSeconds,
                jobSeconds));

        out.printf(
                Locale.ROOT,
                "%nSummary%n%-58s %10s %10s %8s %-22s %s%n",
                "figure",
                "value",
                "baseline",
                "ratio",
                "target",
                "met?");
        row(
                out,
                summary,
                "precompute / one composite scan (1h + user_id)",
                seconds(job.took()),
                seconds(scan.took()),
                "s",
                ratio,
                "<= 2x",
                ratio <= PRECOMPUTE_TARGET);
        for (UvBenchmarkRun.QuestionResult question : result.questions()) {
            UvBenchmarkRun.Side uv = question.side(UvBenchmarkRun.UV_API);
            for (String es : new String[] {UvBenchmarkRun.ES_DEFAULT, UvBenchmarkRun.ES_HIGH}) {
                UvBenchmarkRun.Side side = question.side(es);
                String variant = es.equals(UvBenchmarkRun.ES_DEFAULT) ? "default" : "pt 40000";
                double speed = side.latencies().medianMillis() / uv.latencies().medianMillis();
                row(
                        out,
                        summary,
                        question.question().label() + ": ES (" + variant + ") p50 / UV API p50",
                        side.latencies().medianMillis(),
                        uv.latencies().medianMillis(),
                        "ms",
                        speed,
                        ">= 100x",
                        speed >= SPEED_TARGET);
                row(
                        out,
                        summary,
                        question.question().label() + ": UV API max err vs ES (" + variant + ")",
                        uv.errors().max() * 100,
                        side.errors().max() * 100,
                        "%",
                        side.errors().max() == 0
                                ? Double.NaN
                                : uv.errors().max() / side.errors().max(),
                        "UV err <= ES err",
                        uv.errors().max() <= side.errors().max());
            }
        }
        out.flush();
        return summary;
    }

    private static void row(
            PrintStream out,
            List<String> summary,
            String figure,
            double value,
            double baseline,
            String unit,
            double ratio,
            String target,
            boolean met) {
        String ratioText = Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio);
        out.printf(
                Locale.ROOT,
                "%-58s %8.2f%-2s %8.2f%-2s %8s %-22s %s%n",
                figure,
                value,
                unit,
                baseline,
                unit,
                ratioText,
                target,
                met(met));
        // machine-readable copy for benchmarks/run-all: benchmark, figure, value, baseline, ratio, target, met
        summary.add(String.format(
                Locale.ROOT,
                "uv\trepeated question, %s\t%.2f %s\t%.2f %s\t%s\t%s\t%s",
                figure,
                value,
                unit,
                baseline,
                unit,
                ratioText,
                target,
                met(met)));
    }

    private static String met(boolean met) {
        return met ? "met" : "MISSED";
    }

    private static double megabytes(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
