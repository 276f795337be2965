package io.sketchgate.uniques;

import java.util.List;

/**
 * A unique-count job cannot run as asked: a definition that does not fit the source's mapping, a range that is
 * not aligned or not closed, a lease held by another process. Each problem names what is wrong and the fix.
 */
public class UniqueCountException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public UniqueCountException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
