package io.sketchgate.uniques;

import io.sketchgate.hll.HllSketch;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the real-time tailer knows of the open (not yet precomputed) granules of a definition, for the query
 * merge. Sketches only: PV of open granules is counted in the source at query time, never accumulated from
 * the tail (an overlapping poll would count an event twice).
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
     * @param sketches per combination of dimension values (one per dimension of the definition, in its order,
     *                 {@link BucketKey#ALL} where rolled up, {@link BucketKey#MISSING} for no value): every
     *                 subset is present, like the stored documents
     */
    record Granule(Instant start, Map<List<String>, HllSketch> sketches) {
        public Granule {
            sketches = Map.copyOf(sketches);
        }
    }
}
