package io.sketchgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One value of the file at a known path and line, converted on demand. Every conversion either returns
 * the value or reports {@code FILE:LINE: path: must be ..., was "text"} and returns empty; callers fall
 * back to a default and carry on, so all problems are found in one pass.
 *
 * <p>Scalars arrive here with {@code ${VAR}} already substituted; the raw text is kept for messages.
 * Secrets never show their text in a message.
 */
final class ConfigValue {
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?");
    private static final Pattern IP_V6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final int MAX_SHOWN = 100;

    private final LoadContext context;
    private final Node node;
    private final String path;
    private final String raw;
    private final String text;
    private final boolean secret;
    private Optional<ConfigSection> asSection;
    private Optional<List<ConfigValue>> asList;

    /** @param text the scalar after substitution; null for a map or list, as is {@code raw} */
    ConfigValue(LoadContext context, Node node, String path, String raw, String text, boolean secret) {
        this.context = context;
        this.node = node;
        this.path = path;
        this.raw = raw;
        this.text = text;
        this.secret = secret;
    }

    int line() {
        return node.getStartMark().getLine() + 1;
    }

    String path() {
        return path;
    }

    /** Reports {@code message, was "text"} (just {@code message} for a secret) at this value. */
    void problem(String message) {
        context.report(line(), path, message + was(), secret ? null : text);
    }

    /** Reports without the value, for messages that would otherwise repeat a credential. */
    void problemWithoutValue(String message) {
        context.report(line(), path, message);
    }

    Optional<String> string() {
        return text != null ? Optional.of(text) : fail("must be a single value");
    }

    Optional<Secret> secret() {
        return string().map(Secret::new);
    }

    Optional<Integer> integer(int min, int max, String what) {
        Optional<String> s = string();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        if (INTEGER.matcher(s.get()).matches()) {
            long n = Long.parseLong(s.get());
            if (n >= min && n <= max) {
                return Optional.of((int) n);
            }
        }
        return fail("must be " + what + " from " + min + " to " + max);
    }

    Optional<Integer> port() {
        return integer(0, 65_535, "a port number");
    }

    Optional<Boolean> bool() {
        return string().flatMap(s -> switch (s) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> fail("must be true or false");
        });
    }

    Optional<Duration> duration(Duration min, Duration max) {
        return duration(min, max, "s");
    }

    /** @param hintUnit suggested for a bare number: {@code 31} → "needs a unit, like 31d" */
    Optional<Duration> duration(Duration min, Duration max, String hintUnit) {
        return string().flatMap(s -> {
            Duration d;
            try {
                d = Durations.parse(s, hintUnit);
            } catch (IllegalArgumentException e) {
                return fail(e.getMessage());
            }
            if (d.compareTo(min) < 0) {
                return fail(min.isZero() ? "must not be negative" : "must be at least " + Durations.format(min));
            }
            if (d.compareTo(max) > 0) {
                return fail("must be at most " + Durations.format(max));
            }
            return Optional.of(d);
        });
    }

    Optional<Long> size(long min, long max) {
        return string().flatMap(s -> {
            long bytes;
            try {
                bytes = ByteSizes.parse(s);
            } catch (IllegalArgumentException e) {
                return fail(e.getMessage());
            }
            if (bytes < min) {
                return fail("must be at least " + ByteSizes.format(min));
            }
            if (bytes > max) {
                return fail("must be at most " + ByteSizes.format(max));
            }
            return Optional.of(bytes);
        });
    }

    /** A name or address to bind to; not a URL, no port. */
    Optional<String> host() {
        return string().flatMap(
                        s -> HOST_NAME.matcher(s).matches() || IP_V6.matcher(s).matches()
                                ? Optional.of(s)
                                : fail("must be a host name or IP address to listen on, like 127.0.0.1 or 0.0.0.0"));
    }

    /**
     * An http or https base URL with a host and no path, normalized to lower-case scheme and an explicit port.
     * Credentials in the URL are refused without echoing them.
     */
    Optional<URI> httpUrl(int defaultPort) {
        Optional<String> s = string();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        String example = "http://127.0.0.1:" + defaultPort;
        URI uri;
        try {
            uri = new URI(s.get());
        } catch (URISyntaxException e) {
            return fail("must be a URL like " + example);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return fail("must be a URL starting with http:// or https://, like " + example);
        }
        if (uri.getRawUserInfo() != null) {
            problemWithoutValue("must not contain credentials; configure them in their own keys");
            return Optional.empty();
        }
        if (uri.getHost() == null) {
            return fail("must be a URL with a host name, like " + example);
        }
        if (uri.getRawPath() != null
                && !uri.getRawPath().isEmpty()
                && !uri.getRawPath().equals("/")) {
            return fail("must not have a path; Sketchgate forwards request paths unchanged, like " + example);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return fail("must not have a query or fragment, like " + example);
        }
        int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
        try {
            return Optional.of(new URI(scheme, null, uri.getHost(), port, null, null, null));
        } catch (URISyntaxException e) {
            return fail("must be a URL like " + example);
        }
    }

    /** A path as written; relative paths are relative to the working directory. */
    Optional<Path> filePath() {
        return string().flatMap(s -> {
            try {
                return Optional.of(Path.of(s));
            } catch (InvalidPathException e) {
                return fail("must be a file path (" + e.getReason() + ")");
            }
        });
    }

    /** An existing, readable PEM file of the given kind. */
    Optional<Path> pemFile(PemFiles kind) {
        return filePath().flatMap(p -> {
            if (!Files.exists(p)) {
                return fail("file not found");
            }
            if (Files.isDirectory(p)) {
                return fail("is a directory, not a file");
            }
            if (!Files.isReadable(p)) {
                return fail("file is not readable");
            }
            Optional<String> problem = kind.problem(p);
            problem.ifPresent(this::problem);
            return problem.isPresent() ? Optional.empty() : Optional.of(p);
        });
    }

    /** This value as a map of keys; the same section every time, so its known keys add up. */
    Optional<ConfigSection> section() {
        if (asSection == null) {
            asSection = node instanceof MappingNode map
                    ? Optional.of(ConfigSection.of(context, map, path, line()))
                    : fail("must be a map of keys");
        }
        return asSection;
    }

    /** This value as a list; elements are named {@code path[0]}, {@code path[1]}... */
    Optional<List<ConfigValue>> list() {
        if (asList == null) {
            if (node instanceof SequenceNode sequence) {
                List<ConfigValue> values = new ArrayList<>();
                List<Node> items = sequence.getValue();
                for (int i = 0; i < items.size(); i++) {
                    String itemPath = path + "[" + i + "]";
                    Resolved item = resolve(context, items.get(i), itemPath, secret);
                    item.value().ifPresent(values::add);
                    if (item.value().isEmpty() && !item.failed()) {
                        context.report(items.get(i).getStartMark().getLine() + 1, itemPath, "must not be empty");
                    }
                }
                asList = Optional.of(List.copyOf(values));
            } else {
                asList = fail("must be a list");
            }
        }
        return asList;
    }

    boolean isSingleValue() {
        return text != null;
    }

    boolean isEmptyList() {
        return node instanceof SequenceNode sequence && sequence.getValue().isEmpty();
    }

    private <T> Optional<T> fail(String message) {
        problem(message);
        return Optional.empty();
    }

    private String was() {
        if (node instanceof MappingNode map) {
            return map.getValue().isEmpty() ? ", was an empty map" : ", was a map";
        }
        if (node instanceof SequenceNode list) {
            return list.getValue().isEmpty() ? ", was an empty list" : ", was a list";
        }
        if (secret) {
            return "";
        }
        String shown = ", was " + quote(text);
        return raw.equals(text) ? shown : shown + " (from " + quote(raw) + ")";
    }

    static String quote(String s) {
        String shown = s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "..." : s;
        return '"'
                + shown.replace("\\", "\\\\")
                        .replace("\"", "\\\"")
                        .replace("\n", "\\n")
                        .replace("\t", "\\t")
                + '"';
    }

    /**
     * The value of a node, or empty when the node is YAML null ({@code key:}, {@code ~}, {@code null}) or a scalar
     * that is empty after substitution; both mean "not set". A failed substitution is reported here.
     */
    static Resolved resolve(LoadContext context, Node node, String path, boolean secret) {
        if (!(node instanceof ScalarNode scalar)) {
            return new Resolved(Optional.of(new ConfigValue(context, node, path, null, null, secret)), false);
        }
        if (scalar.getTag().equals(Tag.NULL)) {
            return new Resolved(Optional.empty(), false);
        }
        String raw = scalar.getValue();
        String text;
        try {
            text = context.substitute(raw);
        } catch (IllegalArgumentException e) {
            context.report(
                    node.getStartMark().getLine() + 1,
                    path,
                    e.getMessage() + (secret ? "" : ", was " + quote(raw)),
                    secret ? null : raw);
            return new Resolved(Optional.empty(), true);
        }
        return new Resolved(
                text.isEmpty()
                        ? Optional.empty()
                        : Optional.of(new ConfigValue(context, node, path, raw, text, secret)),
                false);
    }

    /** @param failed whether a problem was already reported for this node */
    record Resolved(Optional<ConfigValue> value, boolean failed) {}
}
