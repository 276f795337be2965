package io.sketchgate.uniques;

import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.Union;

/**
 * UV and PV of one slice (or total) and split combination while its pieces are added. UV is always a union of
 * sketches, never a sum; it is exact when one exact piece answers alone (a stored bucket's exact {@code uv},
 * a source read's exact hash set) or when the union itself is still an exact set. Bounds are the union's at
 * two standard errors. PV is a sum: every event is in exactly one piece.
 */
final class CountBuilder {
    /** Two standard errors: the ≈ 95 % interval {@link UvCount} promises. */
    static final int BOUND_SIGMAS = 2;

    private final Union union;
    private long pageViews;
    private int pieces;
    /** The exact count of the only piece so far, or -1. */
    private long singleExact = -1;

    private UvCount.DataSource source;

    CountBuilder(int precision) {
        this.union = new Union(precision);
    }

    void addStored(HllSketch sketch, long uv, boolean exact, long pv) {
        addPiece(sketch, exact ? uv : -1, UvCount.DataSource.BATCH);
        pageViews += pv;
    }

    /** A real-time sketch: UV only; its PV comes from the source ({@link #addPageViews}). */
    void addRealtime(HllSketch sketch) {
        addPiece(sketch, sketch.isExact() ? sketch.estimate() : -1, UvCount.DataSource.REALTIME);
    }

    void addSource(BucketAccumulator read) {
        addPiece(read.toSketch(), read.isExact() ? read.uniques() : -1, UvCount.DataSource.REALTIME);
        pageViews += read.pageViews();
    }

    void addPageViews(long pv) {
        pageViews += pv;
        mark(UvCount.DataSource.REALTIME);
    }

    /** Everything {@code other} holds, as if its pieces had been added here. */
    void addAll(CountBuilder other) {
        if (other.pieces == 0 && other.pageViews == 0) {
            return;
        }
        union.add(other.union.toSketch());
        singleExact = pieces == 0 ? other.singleExact : other.pieces == 0 ? singleExact : -1;
        pieces += other.pieces;
        pageViews += other.pageViews;
        if (other.source != null) {
            mark(other.source);
        }
    }

    boolean isEmpty() {
        return pageViews == 0 && union.isEmpty();
    }

    UvCount build() {
        UvCount.DataSource from = source == null ? UvCount.DataSource.BATCH : source;
        if (pieces == 1 && singleExact >= 0) {
            return UvCount.exact(singleExact, pageViews, from);
        }
        if (union.isExact()) {
            return UvCount.exact(union.estimate(), pageViews, from);
        }
        return new UvCount(
                union.estimate(),
                union.lowerBound(BOUND_SIGMAS),
                union.upperBound(BOUND_SIGMAS),
                false,
                pageViews,
                from);
    }

    private void addPiece(HllSketch sketch, long exactCount, UvCount.DataSource from) {
        union.add(sketch);
        singleExact = pieces == 0 ? exactCount : -1;
        pieces++;
        mark(from);
    }

    private void mark(UvCount.DataSource from) {
        source = source == null ? from : source.and(from);
    }
}
