package io.sketchgate.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One entry of {@code unique_counts:}: which events to count, by which value, split by which dimensions, at
 * which time buckets. Validated against the file at load; the field types are checked against the source's
 * mapping when a job starts ({@code io.sketchgate.uniques.SourceMappingCheck}).
 *
 * @param name            letters, digits, {@code _} and {@code -}; the stored index is {@code sketchgate-uv-<name>}
 * @param source          index pattern, alias or data stream the events are read from
 * @param timeField       a {@code date} field
 * @param uniqueField     a keyword or numeric field whose distinct values are counted
 * @param dimensions      up to 3 keyword fields; every subset of them is precomputed
 * @param granularity     the smallest bucket; divides a day
 * @param timeZones       zones whose days, ISO weeks and months are precomputed
 * @param precision       HyperLogLog++ precision p of the stored sketches, 4..18
 * @param lateness        how late events may arrive: a bucket is closed once it ends before now − lateness
 * @param maxExactValues  distinct values one open bucket may hold exactly while precomputing; above it the
 *                        bucket is sketch-only ({@code exact: false})
 * @param realtime        the tailer and scheduler in the proxy; not part of the {@link #version()}
 * @param kibanaRewrite   whether Kibana's matching cardinality searches are answered from the sketches
 *                        ({@code io.sketchgate.rewrite}); does not change the stored numbers
 * @param kibanaEdges     how the rewrite reads the unaligned edges of Kibana's ranges ({@link EdgeReads}); does not
 *                        change the stored numbers
 */
public record UniqueCountDefinition(
        String name,
        String source,
        String timeField,
        String uniqueField,
        List<String> dimensions,
        Duration granularity,
        List<ZoneId> timeZones,
        int precision,
        Duration lateness,
        int maxExactValues,
        RealtimeSettings realtime,
        KibanaRewriteMode kibanaRewrite,
        EdgeReads kibanaEdges) {

    public static final int MAX_DIMENSIONS = 3;
    /**
     * The fine tier's granule: stored for the root subset (no dimension) so the edges of an unaligned range come from
     * stored sketches, not the source. Five minutes: see the storage table in {@code docs/unique-counts.md}.
     */
    public static final Duration FINE_TIER = Duration.ofMinutes(5);
    /**
     * A fine granule's document also keeps its page views per this step ({@code pv_by_minute}), so a cut on whole
     * minutes inside it has exact PV without a count request (five numbers a document).
     */
    public static final Duration FINE_PV_STEP = Duration.ofMinutes(1);
    /**
     * Granules of at most this many {@link #FINE_PV_STEP}s keep their page views per step too, in every dimension
     * subset: a split or filtered question cut on whole minutes then has exact PV per value without a request. An
     * hour's 60 numbers take about 60 bytes in the catalogue; up to four hours (240) are kept, not a day's 1,440
     * (sparse combinations would hold mostly zeros).
     */
    public static final int MAX_GRANULE_PV_STEPS = 240;

    public UniqueCountDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(timeField, "timeField");
        Objects.requireNonNull(uniqueField, "uniqueField");
        Objects.requireNonNull(granularity, "granularity");
        Objects.requireNonNull(lateness, "lateness");
        Objects.requireNonNull(realtime, "realtime");
        Objects.requireNonNull(kibanaRewrite, "kibanaRewrite");
        Objects.requireNonNull(kibanaEdges, "kibanaEdges");
        dimensions = List.copyOf(dimensions);
        timeZones = List.copyOf(timeZones);
        if (dimensions.size() > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("at most " + MAX_DIMENSIONS + " dimensions");
        }
        if (timeZones.isEmpty()) {
            throw new IllegalArgumentException("at least one time zone");
        }
        if (granularity.isZero()
                || granularity.isNegative()
                || Duration.ofDays(1).toMillis() % granularity.toMillis() != 0) {
            throw new IllegalArgumentException("granularity must divide a day, was " + granularity);
        }
        if (maxExactValues <= 0) {
            throw new IllegalArgumentException("maxExactValues must be positive");
        }
    }

    /** The same definition with other {@code realtime} settings. */
    public UniqueCountDefinition withRealtime(RealtimeSettings settings) {
        return with(settings, kibanaRewrite, kibanaEdges);
    }

    /** The same definition with another {@code kibana_rewrite}. */
    public UniqueCountDefinition withKibanaRewrite(KibanaRewriteMode mode) {
        return with(realtime, mode, kibanaEdges);
    }

    /** The same definition with another {@code kibana_edges}. */
    public UniqueCountDefinition withKibanaEdges(EdgeReads edges) {
        return with(realtime, kibanaRewrite, edges);
    }

    /** The one copy: only the serving settings change, never what is counted. */
    private UniqueCountDefinition with(
            RealtimeSettings realtime, KibanaRewriteMode kibanaRewrite, EdgeReads kibanaEdges) {
        return new UniqueCountDefinition(
                name,
                source,
                timeField,
                uniqueField,
                dimensions,
                granularity,
                timeZones,
                precision,
                lateness,
                maxExactValues,
                realtime,
                kibanaRewrite,
                kibanaEdges);
    }

    /** The fine tier's granule, when it divides the granularity into more than one piece. */
    public Optional<Duration> fineTier() {
        long fine = FINE_TIER.toMillis();
        long granule = granularity.toMillis();
        return granule > fine && granule % fine == 0 ? Optional.of(FINE_TIER) : Optional.empty();
    }

    /**
     * The steps of a granule's {@code pv_by_minute}: present with a fine tier (the precompute then reads the source
     * per step) and a granularity of at most {@link #MAX_GRANULE_PV_STEPS} steps.
     */
    public OptionalInt granulePvSteps() {
        long steps = granularity.toMillis() / FINE_PV_STEP.toMillis();
        return fineTier().isPresent() && steps <= MAX_GRANULE_PV_STEPS
                ? OptionalInt.of((int) steps)
                : OptionalInt.empty();
    }

    /**
     * A hash of every field that changes the stored numbers (not the name, not the lateness): documents written
     * under another version are stale, and a checkpoint of another version is not resumed.
     */
    public String version() {
        String canonical = String.join(
                "\n",
                "v1",
                source,
                timeField,
                uniqueField,
                String.join(",", dimensions),
                Long.toString(granularity.toMillis()),
                timeZones.toString(),
                Integer.toString(precision),
                Integer.toString(maxExactValues),
                // an index written before the fine tier has none of its documents: a new version recomputes it
                fineTier().map(fine -> "fine=" + fine.toMillis()).orElse(""),
                // nor, before it, the per-minute page views of its fine granules
                fineTier()
                        .map(fine -> "fine_pv_step=" + FINE_PV_STEP.toMillis())
                        .orElse(""),
                // nor, before that, the per-minute page views of every subset's granules
                granulePvSteps().isPresent() ? "granule_pv_steps" : "",
                // nor, before that, their values' first and last minutes (value_minutes)
                fineTier().isPresent() ? "value_minutes" : "");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("name", name);
        tree.put("source", source);
        tree.put("time_field", timeField);
        tree.put("unique_field", uniqueField);
        tree.put("dimensions", dimensions);
        tree.put("granularity", Durations.format(granularity));
        tree.put("time_zones", timeZones.stream().map(ZoneId::getId).toList());
        tree.put("precision", precision);
        tree.put("lateness", Durations.format(lateness));
        tree.put("max_exact_values", maxExactValues);
        tree.put("realtime", realtime.toYamlTree());
        tree.put("kibana_rewrite", kibanaRewrite.configName());
        tree.put("kibana_edges", kibanaEdges.configName());
        return tree;
    }
}
