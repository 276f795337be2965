package io.sketchgate.http;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A decision in words (for the access log, the decision header, an explanation), built on first read. The words
 * name roles, limits and spans, and formatting them costs more than deciding; most verdicts are read only once the
 * response is on its way (the access log), or never (the log off, no header, no explain).
 *
 * <p>Thread-safe: the words are a pure function of immutable inputs, so two threads reading at once build equal
 * strings and either may be kept.
 */
public final class DecisionText {
    private final Supplier<String> words;
    private String text; // benign race, see the class comment

    private DecisionText(Supplier<String> words, String text) {
        this.words = words;
        this.text = text;
    }

    /** Words already built. */
    public static DecisionText of(String text) {
        return new DecisionText(null, Objects.requireNonNull(text, "text"));
    }

    /** Words built on first read by {@code words}, which must depend only on immutable values. */
    public static DecisionText lazy(Supplier<String> words) {
        return new DecisionText(Objects.requireNonNull(words, "words"), null);
    }

    /** These words followed by {@code more}, still built on first read. */
    public DecisionText then(Supplier<String> more) {
        return lazy(() -> text() + more.get());
    }

    public String text() {
        String built = text;
        if (built == null) {
            built = words.get();
            text = built;
        }
        return built;
    }

    @Override
    public String toString() {
        return text();
    }
}
