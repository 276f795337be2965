/**
 * Unique-count indices: per-bucket exact UV, PV and HyperLogLog++ sketches precomputed from a source index so
 * that {@code cardinality} questions are answered without scanning the events again.
 *
 * <p>Start reading at {@link io.sketchgate.uniques.PrecomputeJob}, the batch job: it reads the source with
 * {@code SourceScanner} (composite aggregation paged by {@code after_key}), accumulates exact hash sets
 * ({@code LongHashSet}, {@code BucketAccumulator}) per granule and per open day/week/month
 * ({@link io.sketchgate.uniques.Level}), and writes documents to {@link io.sketchgate.uniques.UvIndex}.
 * {@code RangePlan} decides what a range reads and writes, {@code Checkpoint} and {@code JobStore} make a
 * killed job resumable, and {@link io.sketchgate.uniques.JobLease} keeps one process per definition.
 * Definitions come from {@link io.sketchgate.config.UniqueCountsConfig} and, at run time, from
 * {@link io.sketchgate.uniques.UniqueCountDefinitions} (the file's with the admin API's over them, one snapshot that
 * the UV API, the Kibana rewrite and the service read); {@code SourceMappingCheck} checks them against the source's
 * mapping. In the proxy, {@link io.sketchgate.uniques.UniqueCountService} runs per definition in force a {@code RealtimeTailer} (open granules as in-memory sketches, {@link
 * io.sketchgate.uniques.RealtimeSketches}) and a {@code PrecomputeScheduler} (newly closed granules), with status
 * at {@link io.sketchgate.uniques.UniqueCountsApi}. Layout and guarantees: {@code docs/unique-counts.md}.
 *
 * <p>Questions ({@link io.sketchgate.uniques.UvQuestion}) are answered by
 * {@link io.sketchgate.uniques.UvQueryEngine}: {@code SliceCover} tiles each slice with the fewest stored buckets,
 * real-time granules ({@link io.sketchgate.uniques.RealtimeSketches}), the 5-minute fine tier for unaligned edges
 * (a cut inside a fine granule bounded, its events counted by {@code EdgeCounts}) and source windows
 * ({@code SourceSlices}),
 * {@link io.sketchgate.uniques.BucketCatalogue} holds every stored document in memory (kept up by a background
 * refresh), {@link io.sketchgate.uniques.SketchCache} their decoded sketches, and
 * {@code CountBuilder} unions them. {@link io.sketchgate.uniques.UvApi} serves them as
 * {@code /_sketchgate/uv/{definition}} ({@code docs/uv-api.md}).
 */
package io.sketchgate.uniques;
