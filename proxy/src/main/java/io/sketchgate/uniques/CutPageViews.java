package io.sketchgate.uniques;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The events of the cuts inside stored granules ({@link SliceCover.Partial}) of each cover of a question, per
 * combination of the question: those the stored per-minute page views give ({@link FinePageViews}: cuts on whole
 * minutes), and the cuts left to count or read, which the caller asks Elasticsearch for in one request and adds with
 * {@link #withCounted} or {@link #withRead}.
 */
final class CutPageViews {
    /** Per cover, the known events per combination. */
    private final List<Map<List<String>, Long>> known;
    /** Per cover, the cuts whose events the stored minutes do not give. */
    private final List<List<SliceCover.Partial>> uncounted;

    private CutPageViews(List<Map<List<String>, Long>> known, List<List<SliceCover.Partial>> uncounted) {
        this.known = known;
        this.uncounted = uncounted;
    }

    /**
     * @param documents   the catalogue's documents of a cut's granule that the question reads
     * @param finest      the cut granule's documents of the finest subset (every dimension's value), whose events'
     *                    milliseconds answer a split or filtered question's cut off the minute
     * @param passes      whether a finest document passes the question's filters
     * @param combination the question's combination of a stored document's dimension values
     */
    static CutPageViews of(
            List<List<SliceCover.Piece>> covers,
            Function<SliceCover.Partial, List<StoredBuckets.Document>> documents,
            Function<SliceCover.Partial, StoredBuckets.Document[]> finest,
            Predicate<List<String>> passes,
            Function<List<String>, List<String>> combination) {
        List<Map<List<String>, Long>> known = new ArrayList<>();
        List<List<SliceCover.Partial>> uncounted = new ArrayList<>();
        for (List<SliceCover.Piece> pieces : covers) {
            Map<List<String>, Long> events = new HashMap<>();
            List<SliceCover.Partial> toCount = new ArrayList<>();
            for (SliceCover.Piece piece : pieces) {
                if (piece instanceof SliceCover.Partial partial) {
                    Optional<Map<List<String>, Long>> stored = FinePageViews.perCombination(
                                    partial, documents.apply(partial), combination)
                            .or(() -> FinePageViews.fromFinest(partial, finest.apply(partial), passes, combination));
                    if (stored.isPresent()) {
                        stored.get().forEach((values, n) -> events.merge(values, n, Long::sum));
                    } else {
                        toCount.add(partial);
                    }
                }
            }
            known.add(events);
            uncounted.add(toCount);
        }
        return new CutPageViews(known, uncounted);
    }

    boolean complete() {
        return uncounted.stream().allMatch(List::isEmpty);
    }

    /** Per cover, its cuts left to count (an empty list for a cover without any). */
    List<List<SliceCover.Partial>> uncounted() {
        return uncounted;
    }

    /** Every cut left to count, once. */
    Set<SliceCover.Partial> uncountedCuts() {
        Set<SliceCover.Partial> cuts = new LinkedHashSet<>();
        uncounted.forEach(cuts::addAll);
        return cuts;
    }

    /** Per cover, the known events; with nothing left to count, every cut's. */
    List<Map<List<String>, Long>> known() {
        return known;
    }

    /** Per cover, the known events plus {@code counted[cover]} for the root combination (no dimension). */
    List<Map<List<String>, Long>> withCounted(long[] counted) {
        List<Map<List<String>, Long>> perCover = new ArrayList<>();
        for (int i = 0; i < known.size(); i++) {
            Map<List<String>, Long> events = new HashMap<>(known.get(i));
            events.merge(List.of(), counted[i], Long::sum);
            perCover.add(events);
        }
        return perCover;
    }

    /** Per cover, the known events plus each uncounted cut's events per combination as {@code read}. */
    List<Map<List<String>, Long>> withRead(Map<SliceCover.Partial, Map<List<String>, Long>> read) {
        List<Map<List<String>, Long>> perCover = new ArrayList<>();
        for (int i = 0; i < known.size(); i++) {
            Map<List<String>, Long> events = new HashMap<>(known.get(i));
            for (SliceCover.Partial cut : uncounted.get(i)) {
                read.get(cut).forEach((values, n) -> events.merge(values, n, Long::sum));
            }
            perCover.add(events);
        }
        return perCover;
    }
}
