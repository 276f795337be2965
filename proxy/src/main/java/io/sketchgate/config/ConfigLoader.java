package io.sketchgate.config;

import java.nio.file.Path;
import java.util.Map;

/** Reads one YAML file into a validated {@link SketchgateConfig}. */
public final class ConfigLoader {
    private final Map<String, String> environment;

    public ConfigLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public SketchgateConfig load(Path file) throws ConfigException {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
