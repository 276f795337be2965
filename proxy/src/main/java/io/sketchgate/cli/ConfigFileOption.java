package io.sketchgate.cli;

import io.sketchgate.config.ConfigException;
import io.sketchgate.config.ConfigLoader;
import io.sketchgate.config.SketchgateConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by the commands that load a configuration. */
final class ConfigFileOption {
    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            defaultValue = "config/sketchgate.yml",
            description = "Configuration file (default: ${DEFAULT-VALUE}). See docs/configuration.md.")
    Path file;

    /** The loaded configuration, or empty after printing every problem to {@code err}. */
    Optional<SketchgateConfig> load(ConfigLoader loader, PrintWriter err) {
        try {
            return Optional.of(loader.load(file));
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            return Optional.empty();
        }
    }
}
