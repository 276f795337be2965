package io.sketchgate.uniques;

import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.Union;

/**
 * UV and PV of one slice (or total) and split combination while its pieces are added. UV is always a union of
 * sketches, never a sum; it is exact when one exact piece answers alone (a stored bucket's exact {@code uv},
 * a source read's exact hash set) or when the union itself is still an exact set. Bounds are the union's at
 * two standard errors. PV is a sum: every event is in exactly one piece.
 *
 * <p>A partial piece (a fine granule a cut splits, {@link SliceCover.Partial}) holds the values of the cut's part and
 * possibly others, so it joins only a second union, {@code partials}; {@code outer} is the union of both, made once
 * when the count is built: the true set contains the union of the whole pieces and is contained in {@code outer}, so
 * {@code [lower bound of union, upper bound of outer]} holds the true count (with the sketches' own error at two
 * standard errors, none when a union is still an exact set).
 */
final class CountBuilder {
    /** Two standard errors: the ≈ 95 % interval {@link UvCount} promises. */
    static final int BOUND_SIGMAS = 2;

    private final int precision;
    /**
     * The whole pieces' union, borrowed from {@link UnionPool} (as are {@link #partials} and {@link #outer}) when a
     * second piece joins the first: most counts of a daily question split by country are one stored bucket alone
     * ({@link #pending}) and never need one. Null until then, and again once {@link #release}d.
     */
    private Union union;

    private boolean released;
    /**
     * The only piece so far, a stored sketch, not yet folded into {@link #union}: a slice answered by one stored
     * bucket (a day of a daily chart) then costs nothing until something else joins it, and a total folds it
     * straight into its own union, instead of copying an exact set value by value twice.
     */
    private CachedSketch pending;
    /** The partial pieces; null until one is added. */
    private Union partials;
    /** Of the partial pieces: the milliseconds the cuts keep, and the fine granules' whole length. */
    private long partialKept;

    private long partialLength;
    private long pageViews;
    private int pieces;
    /** The exact count of the only piece so far, or -1. */
    private long singleExact = -1;

    private UvCount.DataSource source;
    /** Whether a cut's values came as registers ({@link StepCuts}) rather than as an exact set. */
    private boolean cutAsRegisters;
    /** Whether a cut of registers left the minute it splits uncertain ({@link #addSplitMinute}). */
    private boolean splitMinutes;
    /**
     * {@code union} and {@code partials} together, once made ({@link #outer()}); null again when values join. A
     * total-only question's counts are both its rows and its totals, so each is built twice.
     */
    private Union outer;

    CountBuilder(int precision) {
        this.precision = precision;
    }

    /**
     * A stored fine granule of which a cut keeps {@code kept} of {@code length} milliseconds: UV towards the upper
     * bound only; its events come from a count ({@link #addPageViews}).
     */
    void addPartial(CachedSketch sketch, long kept, long length) {
        dropOuter();
        sketch.addTo(partials());
        partialKept += kept;
        partialLength += length;
        mark(UvCount.DataSource.BATCH);
    }

    /**
     * The minute that a cut of a granule kept as registers splits ({@link StepCuts}): its values towards the upper
     * bound, {@code kept} of its {@code span} milliseconds in the cut. Like a cut's registers, it makes a count that
     * could have been exact one to read from the source ({@link #couldHaveBeenExact}).
     */
    void addSplitMinute(CachedSketch sketch, long kept, long span) {
        addPartial(sketch, kept, span);
        cutAsRegisters = true;
        splitMinutes = true;
    }

    /**
     * Whether the minutes that cuts of registers split ({@link #addSplitMinute}) could move this count by more than
     * the sketches' own standard error (1.04 / √2^p: 0.81 % at p = 14): the estimate with them exceeds the estimate
     * without them by more. The true count lies between the two and the answer is placed between them, so it errs
     * by less than that width; past it the cuts' seconds are read instead.
     */
    boolean splitMinutesTooWide() {
        if (!splitMinutes) {
            return false;
        }
        fold();
        long inner = union().estimate();
        return outer().estimate() - inner > 1.04 / Math.sqrt(1 << precision) * inner;
    }

    void addStored(CachedSketch sketch, long uv, boolean exact, long pv) {
        dropOuter();
        if (pieces == 0) {
            pending = sketch;
        } else {
            fold();
            sketch.addTo(union());
        }
        addPiece(exact ? uv : -1, UvCount.DataSource.BATCH);
        pageViews += pv;
    }

    /**
     * The values a cut of a stored granule holds for certain ({@link GranuleCuts.Cut#inside}); its page views come
     * with the cut's ({@link #addStoredPageViews}).
     */
    void addCut(HllSketch inside) {
        boolean exact = inside.isExact();
        addStored(CachedSketch.of(inside), exact ? inside.estimate() : -1, exact, 0);
        cutAsRegisters |= !exact;
    }

    /**
     * Whether this count holds a cut as registers and at most as many values as an exact set holds: had the cut's
     * values been read, it could have been an exact count. Past that (more registers set than the limit, each set
     * by one value at least) the registers are the ones the values would make, and so is the answer.
     */
    boolean couldHaveBeenExact() {
        if (!cutAsRegisters) {
            return false;
        }
        fold();
        return union().provenDistinct() <= union().exactLimit();
    }

    /** A real-time sketch: UV only; its PV comes from the source ({@link #addPageViews}). */
    void addRealtime(HllSketch sketch) {
        dropOuter();
        fold();
        union().add(sketch);
        addPiece(sketch.isExact() ? sketch.estimate() : -1, UvCount.DataSource.REALTIME);
    }

    void addSource(BucketAccumulator read) {
        dropOuter();
        fold();
        union().add(read.toSketch());
        addPiece(read.isExact() ? read.uniques() : -1, UvCount.DataSource.REALTIME);
        pageViews += read.pageViews();
    }

    /** Page views kept with stored buckets (a cut's whole minutes). */
    void addStoredPageViews(long pv) {
        pageViews += pv;
        mark(UvCount.DataSource.BATCH);
    }

    void addPageViews(long pv) {
        pageViews += pv;
        mark(UvCount.DataSource.REALTIME);
    }

    /** The page views {@code other} holds, none of its values (a total whose UV nobody reads). */
    void addPageViewsOf(CountBuilder other) {
        pageViews += other.pageViews;
        if (other.source != null) {
            mark(other.source);
        }
    }

    /** Everything {@code other} holds, as if its pieces had been added here. */
    void addAll(CountBuilder other) {
        other.checkLive();
        if (other.pieces == 0 && other.pageViews == 0) {
            return;
        }
        dropOuter();
        fold();
        if (other.pending != null) {
            other.pending.addTo(union());
        }
        if (other.union != null) {
            union().add(other.union);
        }
        if (other.partials != null) {
            partials().add(other.partials);
        }
        partialKept += other.partialKept;
        cutAsRegisters |= other.cutAsRegisters;
        splitMinutes |= other.splitMinutes;
        partialLength += other.partialLength;
        singleExact = pieces == 0 ? other.singleExact : other.pieces == 0 ? singleExact : -1;
        pieces += other.pieces;
        pageViews += other.pageViews;
        if (other.source != null) {
            mark(other.source);
        }
    }

    boolean isEmpty() {
        // partial granules alone hold values of events outside the cut only: no event counted, nothing there
        checkLive();
        return pageViews == 0 && pending == null && (union == null || union.isEmpty());
    }

    UvCount build() {
        UvCount.DataSource from = source == null ? UvCount.DataSource.BATCH : source;
        if (partials != null) {
            fold();
            return bounded(from);
        }
        if (pieces == 1 && singleExact >= 0) {
            return UvCount.exact(singleExact, pageViews, from);
        }
        if (pending != null) { // one stored piece: its own count, remembered by the cached sketch
            CachedSketch.Estimate alone = pending.estimate(precision, BOUND_SIGMAS);
            return alone.exact()
                    ? UvCount.exact(alone.uv(), pageViews, from)
                    : new UvCount(alone.uv(), alone.lower(), alone.upper(), false, pageViews, from);
        }
        fold();
        Union whole = union();
        if (whole.isExact()) {
            return UvCount.exact(whole.estimate(), pageViews, from);
        }
        return new UvCount(
                whole.estimate(),
                whole.lowerBound(BOUND_SIGMAS),
                whole.upperBound(BOUND_SIGMAS),
                false,
                pageViews,
                from);
    }

    /**
     * Computes now what {@link #build} reads of the values added so far (the unions' estimates), so that a pool thread
     * can do it beside the thread that builds the rows; page views added later do not undo it, values do.
     */
    void settle() {
        if (partials != null) {
            fold();
            union().estimate();
            outer().estimate();
        } else if (pending != null) {
            if (singleExact < 0) {
                pending.estimate(precision, BOUND_SIGMAS);
            }
        } else {
            union().estimate();
        }
    }

    /**
     * Between the whole pieces' union and {@code outer}: an estimate, placed between the two by the share of the
     * partial granules' time the cuts keep (events spread evenly in time would put it there).
     */
    private UvCount bounded(UvCount.DataSource from) {
        Union outer = outer();
        Union whole = union();
        long lower = whole.isExact() ? whole.estimate() : whole.lowerBound(BOUND_SIGMAS);
        // every distinct value has an event, and page views are exact
        long upper = Math.min(pageViews, outer.isExact() ? outer.estimate() : outer.upperBound(BOUND_SIGMAS));
        lower = Math.min(lower, upper);
        long inner = whole.estimate();
        long all = Math.max(inner, outer.estimate());
        double kept = partialLength == 0 ? 0 : partialKept / (double) partialLength;
        long uv = Math.round(inner + (all - inner) * kept);
        uv = Math.max(lower, Math.min(upper, uv));
        return new UvCount(uv, lower, upper, false, pageViews, from);
    }

    /** The union of the whole and the partial pieces, made once; only after {@link #fold}. */
    private Union outer() {
        if (outer == null) {
            outer = UnionPool.borrow(precision);
            outer.add(union());
            outer.add(partials);
        }
        return outer;
    }

    /**
     * Gives this count's unions back to {@link UnionPool} once nothing will read it again (its rows are built, and it
     * is no total another count or a later overall count may still add): any later use fails instead of reading a
     * union lent to another question.
     */
    void release() {
        if (released) {
            return;
        }
        released = true;
        if (union != null) {
            UnionPool.giveBack(union);
            union = null;
        }
        if (partials != null) {
            UnionPool.giveBack(partials);
            partials = null;
        }
        dropOuter();
        pending = null;
    }

    /** The whole pieces' union, borrowed now if none yet. */
    private Union union() {
        checkLive();
        if (union == null) {
            union = UnionPool.borrow(precision);
        }
        return union;
    }

    private void checkLive() {
        if (released) {
            throw new IllegalStateException("this count's unions were given back; it cannot be read or added to");
        }
    }

    /** Values join: the union of both made before no longer holds them all. */
    private void dropOuter() {
        if (outer != null) {
            UnionPool.giveBack(outer);
            outer = null;
        }
    }

    private void fold() {
        if (pending != null) {
            pending.addTo(union());
            pending = null;
        }
    }

    private Union partials() {
        if (partials == null) {
            partials = UnionPool.borrow(precision);
        }
        return partials;
    }

    /** Counts a piece just added to the union. */
    private void addPiece(long exactCount, UvCount.DataSource from) {
        singleExact = pieces == 0 ? exactCount : -1;
        pieces++;
        mark(from);
    }

    private void mark(UvCount.DataSource from) {
        source = source == null ? from : source.and(from);
    }
}
