package io.sketchgate.uniques;

import io.sketchgate.hll.HllSketch;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the real-time tailer knows of the open (not yet precomputed) granules of a definition, for the query
 * merge: their sketches, and their page views as counted at the tailer's last poll (never accumulated from the
 * tail's events, which an overlapping poll reads twice).
 */
public interface RealtimeSketches {
    /** No tailer: open granules are read from the source. */
    RealtimeSketches NONE = new RealtimeSketches() {
        @Override
        public Optional<Granule> granule(String definition, Instant start) {
            return Optional.empty();
        }

        @Override
        public Optional<Instant> tailedThrough(String definition) {
            return Optional.empty();
        }
    };

    /**
     * The tailer's sketches of the granule starting at {@code start}, if it holds that granule; only complete up
     * to {@link #tailedThrough}.
     */
    Optional<Granule> granule(String definition, Instant start);

    /** Every event with a time before this instant that had arrived by the last poll is in the sketches. */
    Optional<Instant> tailedThrough(String definition);

    /**
     * @param sketches  per combination of dimension values (one per dimension of the definition, in its order,
     *                  {@link BucketKey#ALL} where rolled up, {@link BucketKey#MISSING} for no value): every
     *                  subset is present, like the stored documents
     * @param pageViews the granule's events per combination (keyed as {@code sketches}; events without the unique
     *                  field too) counted at the poll that made this view, or empty when not counted (a state just
     *                  restored): then a query counts them in the source
     */
    record Granule(Instant start, Map<List<String>, HllSketch> sketches, Optional<Map<List<String>, Long>> pageViews) {
        public Granule {
            sketches = Map.copyOf(sketches);
            pageViews = pageViews.map(Map::copyOf);
        }

        public Granule(Instant start, Map<List<String>, HllSketch> sketches) {
            this(start, sketches, Optional.empty());
        }

        /** The same sketches (the same map: the tailer's store tells a changed granule by it) with these counts. */
        Granule withPageViews(Map<List<String>, Long> counted) {
            return new Granule(start, sketches, Optional.of(counted));
        }
    }
}
