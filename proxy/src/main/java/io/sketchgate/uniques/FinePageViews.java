package io.sketchgate.uniques;

import io.sketchgate.config.UniqueCountDefinition;
import java.util.List;
import java.util.OptionalLong;

/**
 * The events of a cut inside a stored fine granule ({@link SliceCover.Partial}), from the page views the granule's
 * document keeps per {@link UniqueCountDefinition#FINE_PV_STEP} ({@code pv_by_minute}): exact, with no request,
 * when the cut falls on whole minutes. A cut off the minute (Kibana's {@code now-7d} is 10:37:12.345), or a
 * document written before the field existed, is left to a count ({@link EdgeCounts}).
 */
final class FinePageViews {
    private FinePageViews() {}

    /**
     * @param documents the granule's root-subset documents in the catalogue: none when it had no event (the
     *     precompute writes a fine granule only with events, and the coverage never claims one it has not read)
     */
    static OptionalLong of(SliceCover.Partial partial, List<StoredBuckets.Document> documents) {
        if (documents.isEmpty()) {
            return OptionalLong.of(0);
        }
        if (documents.size() != 1) {
            return OptionalLong.empty();
        }
        long[] steps = documents.get(0).pvByMinute();
        long step = UniqueCountDefinition.FINE_PV_STEP.toMillis();
        long granuleStart = partial.granule().start().toEpochMilli();
        long granuleLength = partial.granule().end().toEpochMilli() - granuleStart;
        long from = partial.start().toEpochMilli() - granuleStart;
        long to = partial.end().toEpochMilli() - granuleStart;
        if (steps.length * step != granuleLength || from % step != 0 || to % step != 0) {
            return OptionalLong.empty();
        }
        long events = 0;
        for (int i = (int) (from / step); i < to / step; i++) {
            events += steps[i];
        }
        return OptionalLong.of(events);
    }
}
