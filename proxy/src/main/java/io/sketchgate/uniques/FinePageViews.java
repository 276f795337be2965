package io.sketchgate.uniques;

import io.sketchgate.config.UniqueCountDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The events of a cut inside a stored granule ({@link SliceCover.Partial}), from the page views its documents keep
 * per {@link UniqueCountDefinition#FINE_PV_STEP} ({@code pv_by_minute}: fine granules of the root subset, granules
 * of every subset): exact, with no request, when the cut falls on whole minutes. A cut off the minute (Kibana's
 * {@code now-7d} is 10:37:12.345) is exact with no request too where the document keeps its events' milliseconds
 * ({@link EventMillis}: fine granules of the root subset). Any other cut, or a document written before the fields
 * existed, is left to a count ({@link EdgeCounts}) or a page-view read.
 */
final class FinePageViews {
    private FinePageViews() {}

    /**
     * The cut's events per combination of the question ({@code combination} of each document), none for a
     * combination without a document there (the precompute writes a granule only with events, and the coverage never
     * claims one it has not read); empty when any document cannot tell.
     *
     * @param documents the granule's documents in the catalogue that the question reads
     */
    static Optional<Map<List<String>, Long>> perCombination(
            SliceCover.Partial partial,
            List<StoredBuckets.Document> documents,
            Function<List<String>, List<String>> combination) {
        Map<List<String>, Long> events = new HashMap<>();
        for (StoredBuckets.Document document : documents) {
            OptionalLong known = ofDocument(partial, document);
            if (known.isEmpty()) {
                return Optional.empty();
            }
            events.merge(combination.apply(document.dimensionValues()), known.getAsLong(), Long::sum);
        }
        return Optional.of(events);
    }

    /**
     * The cut's events per combination of a split or filtered question from the granule's documents of the finest
     * subset (every dimension's value), each keeping its events' milliseconds: those passing the question's
     * filters, summed per its combination (an event is in exactly one finest combination per value it has, as in
     * the coarser subsets' page views). Empty when there are none or any cannot tell.
     */
    static Optional<Map<List<String>, Long>> fromFinest(
            SliceCover.Partial partial,
            StoredBuckets.Document[] finest,
            Predicate<List<String>> passesFilters,
            Function<List<String>, List<String>> combination) {
        if (finest.length == 0) {
            return Optional.empty();
        }
        Map<List<String>, Long> events = new HashMap<>();
        for (StoredBuckets.Document document : finest) {
            if (!passesFilters.test(document.dimensionValues())) {
                continue;
            }
            OptionalLong known = ofDocument(partial, document);
            if (known.isEmpty()) {
                return Optional.empty();
            }
            events.merge(combination.apply(document.dimensionValues()), known.getAsLong(), Long::sum);
        }
        return Optional.of(events);
    }

    private static OptionalLong ofDocument(SliceCover.Partial partial, StoredBuckets.Document document) {
        PageViewSteps steps = document.pvByMinute();
        long step = UniqueCountDefinition.FINE_PV_STEP.toMillis();
        long granuleStart = partial.granule().start().toEpochMilli();
        long granuleLength = partial.granule().end().toEpochMilli() - granuleStart;
        long from = partial.start().toEpochMilli() - granuleStart;
        long to = partial.end().toEpochMilli() - granuleStart;
        if (steps.length() * step == granuleLength && from % step == 0 && to % step == 0) {
            return OptionalLong.of(steps.sum((int) (from / step), (int) (to / step)));
        }
        EventMillis millis = document.eventMillis();
        if (millis.isPresent() && millis.spanMillis() == granuleLength) {
            return OptionalLong.of(millis.count(from, to));
        }
        return OptionalLong.empty();
    }
}
