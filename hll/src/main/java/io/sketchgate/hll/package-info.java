/**
 * Unique-count sketches: every stored bucket, every real-time bucket and every query-time merge
 * of Sketchgate's unique-count indices goes through this package. It depends on nothing else in
 * Sketchgate and only on stream-lib outside it.
 *
 * <p>Start with {@link io.sketchgate.hll.HllSketch} (modes, error, threads), then
 * {@link io.sketchgate.hll.Union} (merging thousands of stored buckets) and
 * {@link io.sketchgate.hll.SketchHash} (how values become 64-bit hashes, stable forever).
 * The byte format is drawn in {@code SketchFormat} and specified in {@code hll/FORMAT.md};
 * {@code hll/README.md} records the choices made around stream-lib's known bugs.
 *
 * <p>Package-private internals, one job each: {@code Murmur3} (the hash), {@code CanonicalNumber}
 * (how numbers are spelled before hashing), {@code ExactSet} (small exact sets),
 * {@code DenseRegisters} (register update, fold, max and packing), {@code SparseRegisters} (the
 * list of non-zero registers in the format), {@code StreamLibEstimator} (the
 * HLL++ estimate, delegated to stream-lib), {@code ErrorBounds} and {@code SketchFormat}.
 */
package io.sketchgate.hll;
