package io.sketchgate.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A YAML map being read into a config record: typed accessors by key, each with its default.
 *
 * <p>The keys a reader asks for are the keys the section allows: once the whole file is read, any other key
 * is reported as unknown, with a suggestion and the allowed list in the order the reader asked for them.
 * So a reader must ask for every key it supports on every load, not only when another key makes it relevant.
 *
 * <p>A key that is absent, YAML null, or empty after {@code ${VAR}} substitution is "not set" and gets
 * its default. A missing section reads as an empty one, so its defaults apply too.
 */
final class ConfigSection {
    private final LoadContext context;
    private final String path;
    private final int line;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();
    private final Map<String, Optional<ConfigValue>> values = new HashMap<>();
    private final Set<String> failed = new HashSet<>();
    private final Map<String, ConfigSection> children = new HashMap<>();

    private ConfigSection(LoadContext context, String path, int line) {
        this.context = context;
        this.path = path;
        this.line = line;
    }

    /** A section over {@code node}; reports duplicate and non-text keys right away. */
    static ConfigSection of(LoadContext context, MappingNode node, String path, int line) {
        ConfigSection section = new ConfigSection(context, path, line);
        Map<String, Integer> firstLines = new HashMap<>();
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            int keyLine = keyNode.getStartMark().getLine() + 1;
            if (!(keyNode instanceof ScalarNode scalar)) {
                context.report(
                        keyLine,
                        path,
                        "keys must be plain names, found a " + (keyNode instanceof MappingNode ? "map" : "list")
                                + " as a key");
                continue;
            }
            String key = scalar.getValue();
            Integer first = firstLines.putIfAbsent(key, keyLine);
            if (first != null) {
                context.report(keyLine, section.child(key), "duplicate key, first given on line " + first);
                continue;
            }
            section.entries.put(key, tuple);
        }
        context.register(section);
        return section;
    }

    /** A section with no keys, read when the file leaves it out; problems point at {@code line}. */
    static ConfigSection empty(LoadContext context, String path, int line) {
        return new ConfigSection(context, path, line);
    }

    String path() {
        return path;
    }

    int line() {
        return line;
    }

    // ---- any value

    /** The value of {@code key}, or empty when it is not set (absent, null or empty). */
    Optional<ConfigValue> value(String key) {
        return lookup(key, false);
    }

    /**
     * Whether the file gives {@code key} a value, valid or not. Rules across keys ask this rather than
     * {@link #value}, so one broken value does not also cause "is set but X is not".
     */
    boolean isSet(String key) {
        return value(key).isPresent() || failed.contains(key);
    }

    /** Like {@link #value}, but a missing value is reported as {@code is required}. */
    Optional<ConfigValue> required(String key) {
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty() && !failed.contains(key)) {
            context.report(
                    lineOf(key), child(key), entries.containsKey(key) ? "is required, was empty" : "is required");
        }
        return value;
    }

    /**
     * Reports a problem found across keys (two keys that exclude each other, say) at {@code key}: with its
     * value when that is a single value, without it when it is a whole map or list.
     */
    void problem(String key, String message) {
        value(key)
                .ifPresentOrElse(
                        v -> {
                            if (v.isSingleValue()) {
                                v.problem(message);
                            } else {
                                v.problemWithoutValue(message);
                            }
                        },
                        () -> context.report(lineOf(key), child(key), message));
    }

    /** The line of {@code key} when the file has it (even with a broken value), else this section's line. */
    private int lineOf(String key) {
        NodeTuple entry = entries.get(key);
        return entry == null ? line : entry.getKeyNode().getStartMark().getLine() + 1;
    }

    // ---- scalars with defaults

    String string(String key, String defaultValue) {
        return value(key).flatMap(ConfigValue::string).orElse(defaultValue);
    }

    Optional<String> optionalString(String key) {
        return value(key).flatMap(ConfigValue::string);
    }

    /** A password or key: masked in every message and whenever the config is printed. */
    Optional<Secret> secret(String key) {
        return lookup(key, true).flatMap(ConfigValue::secret);
    }

    boolean bool(String key, boolean defaultValue) {
        return value(key).flatMap(ConfigValue::bool).orElse(defaultValue);
    }

    int integer(String key, int defaultValue, int min, int max) {
        return value(key).flatMap(v -> v.integer(min, max, "a whole number")).orElse(defaultValue);
    }

    int port(String key, int defaultValue) {
        return value(key).flatMap(ConfigValue::port).orElse(defaultValue);
    }

    String host(String key, String defaultValue) {
        return value(key).flatMap(ConfigValue::host).orElse(defaultValue);
    }

    Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        return value(key).flatMap(v -> v.duration(min, max)).orElse(defaultValue);
    }

    long size(String key, long defaultValue, long min, long max) {
        return value(key).flatMap(v -> v.size(min, max)).orElse(defaultValue);
    }

    Optional<URI> httpUrl(String key, int defaultPort) {
        return value(key).flatMap(v -> v.httpUrl(defaultPort));
    }

    Path filePath(String key, Path defaultValue) {
        return value(key).flatMap(ConfigValue::filePath).orElse(defaultValue);
    }

    Optional<Path> pemFile(String key, PemFiles kind) {
        return value(key).flatMap(v -> v.pemFile(kind));
    }

    // ---- nested structure

    /** The map under {@code key}; an empty section when not set, so that the nested defaults apply. */
    ConfigSection section(String key) {
        ConfigSection cached = children.get(key);
        if (cached == null) {
            int at = value(key).map(ConfigValue::line).orElse(line);
            cached = optionalSection(key).orElseGet(() -> empty(context, child(key), at));
            children.put(key, cached);
        }
        return cached;
    }

    /** The map under {@code key}, for sections whose mere presence turns a feature on. */
    Optional<ConfigSection> optionalSection(String key) {
        return value(key).flatMap(ConfigValue::section);
    }

    /** The list under {@code key}; empty when not set. Elements are converted by the caller. */
    List<ConfigValue> list(String key) {
        return value(key).flatMap(ConfigValue::list).orElse(List.of());
    }

    /**
     * Every entry of this section by name, for maps whose keys the user chooses ({@code roles: {analyst: ...}}).
     * All keys count as known; entries that are not set are left out.
     */
    Map<String, ConfigValue> entries() {
        Map<String, ConfigValue> result = new LinkedHashMap<>();
        for (String key : entries.keySet()) {
            value(key).ifPresent(v -> result.put(key, v));
        }
        return Collections.unmodifiableMap(result);
    }

    // ---- bookkeeping

    void reportUnknownKeys() {
        for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
            String key = entry.getKey();
            if (known.contains(key)) {
                continue;
            }
            String suggestion = KeySuggestions.closest(key, known)
                    .map(k -> ", did you mean \"" + k + "\"?")
                    .orElse(".");
            String allowed = known.isEmpty() ? "none" : String.join(", ", known);
            context.report(
                    entry.getValue().getKeyNode().getStartMark().getLine() + 1,
                    child(key),
                    "unknown key" + suggestion + " Allowed keys: " + allowed);
        }
    }

    private Optional<ConfigValue> lookup(String key, boolean secret) {
        known.add(key);
        Optional<ConfigValue> cached = values.get(key);
        if (cached != null) {
            return cached;
        }
        NodeTuple entry = entries.get(key);
        Optional<ConfigValue> value = Optional.empty();
        if (entry != null) {
            ConfigValue.Resolved resolved = ConfigValue.resolve(context, entry.getValueNode(), child(key), secret);
            value = resolved.value();
            if (resolved.failed()) {
                failed.add(key);
            }
        }
        values.put(key, value);
        return value;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
