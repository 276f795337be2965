package io.sketchgate.uniques;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.hll.HllSketch;

/**
 * What a stored granule keeps beside its sketch so that a cut of it can be counted without reading the source: its
 * values' minutes while it is an exact set ({@link ValueMinutes}), its registers per minute past that ({@link
 * StepCuts}).
 */
sealed interface GranuleCuts permits ValueMinutes, StepCuts {
    /**
     * The values a cut holds for certain, and the ones it may hold: {@code uncertain} is empty when the cut is
     * answered exactly; otherwise the union of both holds every value of the cut (an upper bound only).
     *
     * @param uncertainSpan milliseconds in which the events that would decide the uncertain values lie: the
     *     granule's length, or the one minute that a cut of registers splits
     * @param uncertainKept how many of them the cut keeps, which places an estimate between the bounds
     */
    record Cut(HllSketch inside, HllSketch uncertain, long uncertainKept, long uncertainSpan) {
        /** Whether only the values of the one minute the cut splits are uncertain. */
        boolean uncertainWithinAMinute() {
            return uncertainSpan <= UniqueCountDefinition.FINE_PV_STEP.toMillis();
        }
    }

    /** The values of {@code [from, to)}, in milliseconds from the start of a granule {@code length} long. */
    Cut cut(long from, long to, long length, int precision);

    long memoryBytes();
}
