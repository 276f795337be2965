package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
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
 * With the millisecond of each of their events ({@code step_millis}) so is a cut off the minute. Without them (a
 * document written before they were kept), a cut off the minute holds the whole minutes inside it for certain and the
 * split minute as uncertain (the values seen in that minute alone may or may not be in the cut). A cut inside the
 * granule on both sides holds nothing for certain (the whole granule is uncertain).
 */
final class StepCuts implements GranuleCuts {
    private static final long STEP = UniqueCountDefinition.FINE_PV_STEP.toMillis();

    private final StoredStepRegisters steps;

    private StepCuts(StoredStepRegisters steps) {
        this.steps = steps;
    }

    /**
     * The registers per minute of a stored sketch with registers, with their events' milliseconds when {@code
     * millisField} holds them; empty when the document keeps no registers per minute (an exact sketch, the root
     * subset, a document written before them) or they do not match the sketch. Milliseconds that do not match the
     * registers are ignored: the minutes still answer.
     */
    static Optional<StepCuts> of(HllSketch sketch, JsonNode field, JsonNode millisField) {
        if (sketch.isExact() || !field.isTextual()) {
            return Optional.empty();
        }
        StoredStepRegisters steps;
        try {
            steps = StoredStepRegisters.read(Base64.getDecoder().decode(field.asText()));
        } catch (IllegalArgumentException | SketchFormatException e) {
            return Optional.empty();
        }
        if (steps.precision() != sketch.precision()) {
            return Optional.empty();
        }
        if (millisField.isTextual()) {
            try {
                steps = steps.withSubSteps(Base64.getDecoder().decode(millisField.asText()));
            } catch (IllegalArgumentException | SketchFormatException e) {
                // the minutes alone
            }
        }
        return Optional.of(new StepCuts(steps));
    }

    @Override
    public Cut cut(long from, long to, long length, int precision) {
        if (from <= 0 && to >= length) {
            return exact(steps.from(0), precision);
        }
        if (from <= 0) {
            if (steps.hasSubSteps()) {
                return exact(steps.before((int) (to / STEP), (int) (to % STEP)), precision);
            }
            HllSketch inside = steps.before((int) (to / STEP));
            return to % STEP == 0
                    ? exact(inside, precision)
                    : new Cut(inside, steps.before((int) (to / STEP) + 1), to % STEP, STEP);
        }
        if (to >= length) {
            if (steps.hasSubSteps()) {
                return exact(steps.from((int) (from / STEP), (int) (from % STEP)), precision);
            }
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
