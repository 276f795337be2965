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
    /** @param value the offending value as written, null when it is not shown (secrets, maps, lists) */
    private record Problem(int line, String path, String message, String value, String text) {}

    private final Path file;
    private final EnvironmentSubstitution substitution; // null: values are taken literally
    private final List<Problem> problems = new ArrayList<>();
    private final List<ConfigSection> sections = new ArrayList<>();

    LoadContext(Path file, Map<String, String> environment) {
        this.file = file;
        this.substitution = new EnvironmentSubstitution(environment);
    }

    /**
     * A context for a document that is not the operator's file (a JSON body sent to the admin API): no
     * {@code ${VAR}} substitution, so a request can never read the proxy's environment through a message.
     */
    static LoadContext literal(String source) {
        return new LoadContext(Path.of(source), (EnvironmentSubstitution) null);
    }

    private LoadContext(Path file, EnvironmentSubstitution substitution) {
        this.file = file;
        this.substitution = substitution;
    }

    /** @throws IllegalArgumentException with a message fragment, e.g. an unset variable without default */
    String substitute(String raw) {
        return substitution == null ? raw : substitution.apply(raw);
    }

    /** Adds {@code FILE:LINE: path: message}; an empty path is the top level of the file. */
    void report(int line, String path, String message) {
        report(line, path, message, null);
    }

    /** Like {@link #report(int, String, String)}, keeping the offending value apart for structured answers. */
    void report(int line, String path, String message, String value) {
        String where = file + ":" + line + ": ";
        problems.add(new Problem(
                line, path, message, value, path.isEmpty() ? where + message : where + path + ": " + message));
    }

    void register(ConfigSection section) {
        sections.add(section);
    }

    /** Reports keys no reader asked for, then throws if anything at all was reported, in file order. */
    void finish() throws ConfigException {
        List<Problem> all = collect();
        if (!all.isEmpty()) {
            throw new ConfigException(all.stream().map(Problem::text).toList());
        }
    }

    /** Every problem as key, reason and value, for documents read outside a file (no file or line to name). */
    List<ConfigProblem> problems() {
        return collect().stream()
                .map(p -> new ConfigProblem(p.path(), p.message(), java.util.Optional.ofNullable(p.value())))
                .toList();
    }

    private List<Problem> collect() {
        for (ConfigSection section : List.copyOf(sections)) {
            section.reportUnknownKeys();
        }
        sections.clear(); // reported once, however often this is asked
        return problems.stream().sorted(Comparator.comparingInt(Problem::line)).toList();
    }
}
