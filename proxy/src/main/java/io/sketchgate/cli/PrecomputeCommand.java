package io.sketchgate.cli;

import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.ElasticsearchClients;
import io.sketchgate.uniques.PrecomputeJob;
import io.sketchgate.uniques.UniqueCountException;
import io.sketchgate.uniques.UvIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.elasticsearch.client.RestClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sketchgate precompute}: one definition's unique-count buckets over a closed range. */
@Command(
        name = "precompute",
        mixinStandardHelpOptions = true,
        description = {
            "Precompute a unique-count definition's buckets (exact UV, PV and sketches) for a closed range.",
            "Resumes an unfinished run of the same range from its checkpoint; --recompute starts over.",
            "See docs/unique-counts.md."
        })
final class PrecomputeCommand implements Callable<Integer> {
    @Mixin
    private ConfigFileOption config;

    @Option(names = "--definition", required = true, paramLabel = "NAME", description = "A name under unique_counts.")
    private String definition;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "TIME",
            description = "Start (inclusive), ISO-8601: 2026-09-01, 2026-09-01T00:00:00Z or 2026-09-01T00:00+09:00.")
    private String from;

    @Option(names = "--to", required = true, paramLabel = "TIME", description = "End (exclusive), ISO-8601.")
    private String to;

    @Option(names = "--recompute", description = "Ignore any checkpoint and compute the range again, overwriting it.")
    private boolean recompute;

    @Option(
            names = "--page-size",
            defaultValue = "10000",
            paramLabel = "N",
            description = "Composite buckets per search request (default: ${DEFAULT-VALUE}).")
    private int pageSize;

    @Option(
            names = "--granules-per-request",
            defaultValue = "6",
            paramLabel = "N",
            description = "Granules per range query and between checkpoints (default: ${DEFAULT-VALUE}).")
    private int granulesPerRequest;

    @Option(
            names = "--lease-ttl",
            defaultValue = "30s",
            paramLabel = "DURATION",
            description = "How long the job's lease outlives its last renewal (default: ${DEFAULT-VALUE}).")
    private String leaseTtl;

    @Option(
            names = "--wait-for-lease",
            defaultValue = "0s",
            paramLabel = "DURATION",
            description =
                    "Wait this long for another process's lease instead of failing at once (default: ${DEFAULT-VALUE}).")
    private String waitForLease;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = config.err();
        PrintWriter out = config.out();
        Optional<SketchgateConfig> found = config.load();
        if (found.isEmpty()) {
            return Main.EXIT_FAILED;
        }
        SketchgateConfig loaded = found.get();
        Optional<UniqueCountDefinition> chosen = loaded.uniqueCounts().definition(definition);
        if (chosen.isEmpty()) {
            String known = loaded.uniqueCounts().definitions().stream()
                    .map(UniqueCountDefinition::name)
                    .collect(Collectors.joining(", "));
            err.println("--definition " + definition + ": no such unique count in " + config.file
                    + (known.isEmpty()
                            ? "; define one under unique_counts (docs/unique-counts.md)"
                            : "; defined: " + known));
            return Main.EXIT_FAILED;
        }
        Instant start;
        Instant end;
        Duration ttl;
        Duration wait;
        try {
            start = parseTime("--from", from);
            end = parseTime("--to", to);
            ttl = parseDuration("--lease-ttl", leaseTtl);
            wait = parseDuration("--wait-for-lease", waitForLease);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        try (RestClient client = ElasticsearchClients.create(
                loaded.elasticsearch(),
                loaded.limits().connectTimeout(),
                loaded.limits().responseTimeout())) {
            PrecomputeJob.Result result = PrecomputeJob.builder(client, chosen.get())
                    .pageSize(pageSize)
                    .granulesPerRequest(granulesPerRequest)
                    .leaseTtl(ttl)
                    .leaseWait(wait)
                    .recompute(recompute)
                    .progress(p -> {
                        err.println(progressLine(p));
                        err.flush();
                    })
                    .build()
                    .run(start, end);
            if (result.upToDate()) {
                out.println(definition + ": " + start + " to " + end + " is already precomputed; add --recompute to"
                        + " compute it again");
            } else {
                out.printf(
                        Locale.ROOT,
                        "%s: wrote %,d buckets to %s for %s to %s (read %s to %s, %,d granules,"
                                + " %,d search requests) in %.1fs%s%n",
                        definition,
                        result.bucketsWritten(),
                        UvIndex.name(chosen.get()),
                        start,
                        end,
                        result.readFrom(),
                        result.readTo(),
                        result.granulesRead(),
                        result.searchRequests(),
                        result.took().toMillis() / 1000.0,
                        result.resumed() ? ", resumed from its checkpoint" : "");
            }
            return Main.EXIT_OK;
        } catch (UniqueCountException e) {
            e.problems().forEach(err::println);
            return Main.EXIT_FAILED;
        } catch (IOException e) {
            err.println(definition + ": precompute failed: " + e.getMessage()
                    + "; run the same command again to resume from the checkpoint");
            return Main.EXIT_FAILED;
        }
    }

    static String progressLine(PrecomputeJob.Progress p) {
        long percent = p.granulesTotal() == 0 ? 100 : 100 * p.granulesDone() / p.granulesTotal();
        long eta = p.eta().toSeconds();
        return String.format(
                Locale.ROOT,
                "%s: %3d%% %,d/%,d granules, %,d buckets, %,.0f buckets/s, ETA %d:%02d%s",
                p.definition(),
                percent,
                p.granulesDone(),
                p.granulesTotal(),
                p.bucketsWritten(),
                p.bucketsPerSecond(),
                eta / 60,
                eta % 60,
                p.resumed() ? " (resumed)" : "");
    }

    /** ISO-8601 instant, offset date-time, or a date (midnight UTC). */
    static Instant parseTime(String option, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException(option + " " + text + ": must be an ISO-8601 time like"
                        + " 2026-09-01T00:00:00Z, 2026-09-01T00:00:00+09:00 or a date like 2026-09-01");
            }
        }
    }

    private static Duration parseDuration(String option, String text) {
        try {
            return io.sketchgate.config.Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + text + ": " + e.getMessage());
        }
    }
}
