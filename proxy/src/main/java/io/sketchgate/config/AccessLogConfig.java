package io.sketchgate.config;

import java.nio.file.Path;
import java.util.Optional;

/** One JSON line per request goes to {@code path}; empty turns the access log off. */
public record AccessLogConfig(Optional<Path> path) {
}
