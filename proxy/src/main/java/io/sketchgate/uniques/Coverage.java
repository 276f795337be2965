package io.sketchgate.uniques;

import java.time.Instant;
import java.util.Optional;

/**
 * Which granules a question can take from where: the precomputed documents cover {@code [first, through)}
 * (granules of the definition's current version), the real-time tailer holds what arrived before
 * {@code tailedThrough}. Everything else is read from the source.
 *
 * <p>Precomputed coverage is taken as contiguous: jobs run forward from the oldest data (and the scheduler
 * appends newly closed buckets), so a granule inside {@code [first, through)} without a document had no events.
 */
record Coverage(Optional<Instant> first, Optional<Instant> through, Optional<Instant> tailedThrough) {
    static final Coverage NOTHING = new Coverage(Optional.empty(), Optional.empty(), Optional.empty());

    /** The newer of what the batch and the tailer have seen: events before it are in an answer. */
    Optional<Instant> watermark() {
        if (through.isEmpty()) {
            return tailedThrough;
        }
        if (tailedThrough.isEmpty()) {
            return through;
        }
        return Optional.of(through.get().isAfter(tailedThrough.get()) ? through.get() : tailedThrough.get());
    }

    Coverage withTailedThrough(Optional<Instant> tailed) {
        return new Coverage(first, through, tailed);
    }
}
