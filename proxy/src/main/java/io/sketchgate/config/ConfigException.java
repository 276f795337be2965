package io.sketchgate.config;

import java.util.List;

/** The configuration is invalid; {@link #problems()} lists every problem, each naming file, line and key. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
