package io.sketchgate.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The state of reading one file: where problems go, how {@code ${VAR}} resolves, and which sections
 * must be checked for unknown keys once every reader has run.
 *
 * <p>Readers never stop at the first problem: each typed accessor reports and falls back to its default,
 * so one run of {@code check-config} shows everything wrong with a file. {@link #finish()} then throws
 * if anything was reported, so a half-valid config never escapes the loader.
 */
final class LoadContext {
    private record Problem(int line, String text) {
    }

    private final Path file;
    private final EnvironmentSubstitution substitution;
    private final List<Problem> problems = new ArrayList<>();
    private final List<ConfigSection> sections = new ArrayList<>();

    LoadContext(Path file, Map<String, String> environment) {
        this.file = file;
        this.substitution = new EnvironmentSubstitution(environment);
    }

    /** @throws IllegalArgumentException with a message fragment, e.g. an unset variable without default */
    String substitute(String raw) {
        return substitution.apply(raw);
    }

    /** Adds {@code FILE:LINE: path: message}; an empty path is the top level of the file. */
    void report(int line, String path, String message) {
        String where = file + ":" + line + ": ";
        problems.add(new Problem(line, path.isEmpty() ? where + message : where + path + ": " + message));
    }

    void register(ConfigSection section) {
        sections.add(section);
    }

    /** Reports keys no reader asked for, then throws if anything at all was reported, in file order. */
    void finish() throws ConfigException {
        for (ConfigSection section : List.copyOf(sections)) {
            section.reportUnknownKeys();
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.stream()
                    .sorted(Comparator.comparingInt(Problem::line))
                    .map(Problem::text)
                    .toList());
        }
    }
}
