package io.sketchgate.uniques;

import java.util.Locale;

/**
 * UV and PV of one slice (or total).
 *
 * @param uv      the distinct count: exact when {@code exact}, else the sketch's estimate
 * @param uvLower lower bound at 2 standard errors (≈ 95 %); equals {@code uv} when exact
 * @param uvUpper upper bound at 2 standard errors; equals {@code uv} when exact
 * @param pv      the event count, always exact
 * @param source  which data answered
 */
public record UvCount(long uv, long uvLower, long uvUpper, boolean exact, long pv, DataSource source) {

    public static UvCount exact(long uv, long pv, DataSource source) {
        return new UvCount(uv, uv, uv, true, pv, source);
    }

    /** Where a number came from: precomputed closed buckets, the real-time tail (and source reads), or both. */
    public enum DataSource {
        BATCH,
        REALTIME,
        MIXED;

        /** As in the UV API: {@code batch}, {@code realtime}, {@code mixed}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public DataSource and(DataSource other) {
            return this == other ? this : MIXED;
        }
    }
}
