package io.sketchgate.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One JSON line per request goes to {@code path}; empty turns the access log off. On by default, to
 * {@code logs/access.jsonl} relative to the working directory; the proxy creates missing parent directories.
 */
public record AccessLogConfig(Optional<Path> path) {
    static final Path DEFAULT_PATH = Path.of("logs", "access.jsonl");

    public AccessLogConfig {
        Objects.requireNonNull(path, "path");
    }

    static AccessLogConfig read(ConfigSection section) {
        boolean enabled = section.bool("enabled", true);
        Path path = section.filePath("path", DEFAULT_PATH);
        if (Files.isDirectory(path)) {
            section.problem("path", "is a directory; give a file, like logs/access.jsonl");
        }
        return new AccessLogConfig(enabled ? Optional.of(path) : Optional.empty());
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("enabled", path.isPresent());
        path.ifPresent(p -> tree.put("path", p.toString()));
        return tree;
    }
}
