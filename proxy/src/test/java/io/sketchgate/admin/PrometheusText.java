package io.sketchgate.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every line must be a comment, a
 * {@code # HELP}/{@code # TYPE} line or a sample, and every sample must belong to a family with a {@code TYPE};
 * anything else fails the parse.
 */
final class PrometheusText {
    private static final Pattern TYPE =
            Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");
    private static final Pattern SAMPLE =
            Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: (-?\\d+))?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
    private static final String[] SUFFIXES = {"_total", "_created", "_bucket", "_count", "_sum"};

    record Sample(String name, Map<String, String> labels, double value) {}

    private final Map<String, String> types = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            parsed.line(lines[i], i + 1);
        }
        return parsed;
    }

    private void line(String line, int number) {
        if (line.isEmpty()) {
            return;
        }
        Matcher type = TYPE.matcher(line);
        if (type.matches()) {
            if (types.put(type.group(1), type.group(2)) != null) {
                throw new IllegalArgumentException("line " + number + ": second TYPE for " + type.group(1));
            }
            return;
        }
        if (HELP.matcher(line).matches() || (line.startsWith("#") && !line.startsWith("# TYPE"))) {
            return;
        }
        Matcher sample = SAMPLE.matcher(line);
        if (!sample.matches()) {
            throw new IllegalArgumentException("line " + number + " is not a sample: " + line);
        }
        String name = sample.group(1);
        if (family(name).isEmpty()) {
            throw new IllegalArgumentException("line " + number + ": " + name + " has no TYPE before it");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (sample.group(2) != null && !sample.group(2).isEmpty()) {
            Matcher label = LABEL.matcher(sample.group(2));
            int end = 0;
            while (label.find() && label.start() == end) {
                labels.put(
                        label.group(1),
                        label.group(2)
                                .replace("\\\"", "\"")
                                .replace("\\n", "\n")
                                .replace("\\\\", "\\"));
                end = label.end();
            }
            if (end != sample.group(2).length()) {
                throw new IllegalArgumentException("line " + number + ": bad labels: " + sample.group(2));
            }
        }
        samples.add(new Sample(name, labels, value(sample.group(3), number)));
    }

    private Optional<String> family(String name) {
        if (types.containsKey(name)) {
            return Optional.of(name);
        }
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return Optional.of(name.substring(0, name.length() - suffix.length()));
            }
        }
        return Optional.empty();
    }

    private static double value(String text, int number) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + number + ": bad value " + text);
                }
        }
    }

    String type(String family) {
        return types.get(family);
    }

    List<Sample> samples() {
        return samples;
    }

    /** The value of the one sample with this name whose labels include {@code labels}; 0 when there is none. */
    double value(String name, Map<String, String> labels) {
        List<Sample> found = samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
        if (found.size() > 1) {
            throw new IllegalArgumentException(found.size() + " samples match " + name + labels + ": " + found);
        }
        return found.isEmpty() ? 0 : found.get(0).value();
    }

    boolean has(String name, Map<String, String> labels) {
        return samples.stream()
                .anyMatch(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()));
    }
}
