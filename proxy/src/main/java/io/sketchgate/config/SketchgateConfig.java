package io.sketchgate.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The whole validated configuration, as loaded from one YAML file by {@link ConfigLoader}.
 *
 * @param source the file it was read from, named in every error message
 */
public record SketchgateConfig(
        Path source,
        ListenersConfig listeners,
        ElasticsearchConfig elasticsearch,
        LimitsConfig limits,
        AccessLogConfig accessLog) {

    public SketchgateConfig {
        Objects.requireNonNull(listeners, "listeners");
        Objects.requireNonNull(elasticsearch, "elasticsearch");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(accessLog, "accessLog");
    }
}
