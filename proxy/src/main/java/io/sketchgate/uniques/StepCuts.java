package io.sketchgate.uniques;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.SketchFormatException;
import io.sketchgate.hll.StepRegisters;
import io.sketchgate.hll.StoredStepRegisters;
import java.util.Base64;
import java.util.Optional;

/**
 * A granule stored with registers, and its registers per minute ({@code step_registers}, {@link StepRegisters}): a
 * cut from the granule's start, or to its end, on a whole minute is the sketch its values would make, bit for bit.
 * A cut off the minute holds the whole minutes inside it for certain and the split minute as uncertain (the values
 * seen in that minute alone may or may not be in the cut); a cut inside the granule on both sides holds nothing for
 * certain (the whole granule is uncertain).
 */
final class StepCuts implements GranuleCuts {
    private static final long STEP = UniqueCountDefinition.FINE_PV_STEP.toMillis();

    private final StoredStepRegisters steps;

    private StepCuts(StoredStepRegisters steps) {
        this.steps = steps;
    }

    /**
     * The registers per minute of a stored sketch with registers; empty when the document keeps none (an exact
     * sketch, the root subset, a document written before them) or they do not match the sketch.
     */
    static Optional<StepCuts> of(HllSketch sketch, com.fasterxml.jackson.databind.JsonNode field) {
        if (sketch.isExact() || !field.isTextual()) {
            return Optional.empty();
        }
        try {
            StoredStepRegisters steps =
                    StoredStepRegisters.read(Base64.getDecoder().decode(field.asText()));
            if (steps.precision() != sketch.precision()) {
                return Optional.empty();
            }
            return Optional.of(new StepCuts(steps));
        } catch (IllegalArgumentException | SketchFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public Cut cut(long from, long to, long length, int precision) {
        if (from <= 0 && to >= length) {
            return exact(steps.from(0), precision);
        }
        if (from <= 0) {
            HllSketch inside = steps.before((int) (to / STEP));
            return to % STEP == 0
                    ? exact(inside, precision)
                    : new Cut(inside, steps.before((int) (to / STEP) + 1), to % STEP, STEP);
        }
        if (to >= length) {
            long firstWhole = (from + STEP - 1) / STEP;
            HllSketch inside = steps.from((int) firstWhole);
            return from % STEP == 0
                    ? exact(inside, precision)
                    : new Cut(inside, steps.from((int) (from / STEP)), STEP - from % STEP, STEP);
        }
        return new Cut(HllSketch.create(precision), steps.from(0), to - from, length);
    }

    private static Cut exact(HllSketch inside, int precision) {
        return new Cut(inside, HllSketch.create(precision), 0, STEP);
    }

    @Override
    public long memoryBytes() {
        return 16L + steps.memoryBytes();
    }
}
