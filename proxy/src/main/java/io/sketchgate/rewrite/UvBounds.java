package io.sketchgate.rewrite;

import io.sketchgate.uniques.UvCount;
import java.util.Locale;

/**
 * The error bounds of the cardinality values one rewritten response carries, for the
 * {@code X-Sketchgate-Uv-Bounds} header: how many values, how many exact, and the widest relative half-width of
 * a ≈95 % interval among the estimated ones.
 */
final class UvBounds {
    private long values;
    private long exact;
    private double widest;

    void add(UvCount count) {
        values++;
        if (count.exact()) {
            exact++;
            return;
        }
        if (count.uv() > 0) {
            widest = Math.max(widest, (count.uvUpper() - count.uvLower()) / 2.0 / count.uv());
        }
    }

    void addAll(UvBounds other) {
        values += other.values;
        exact += other.exact;
        widest = Math.max(widest, other.widest);
    }

    /** E.g. {@code values=31; exact=31; max_relative_error=0} or {@code ...; max_relative_error=0.0162}. */
    String header() {
        return String.format(
                Locale.ROOT,
                "values=%d; exact=%d; max_relative_error=%s",
                values,
                exact,
                widest == 0 ? "0" : String.format(Locale.ROOT, "%.4f", widest));
    }
}
