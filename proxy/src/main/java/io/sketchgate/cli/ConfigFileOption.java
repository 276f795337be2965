package io.sketchgate.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --config FILE}, shared by the commands that load a configuration. */
final class ConfigFileOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "config/sketchgate.yml",
            description = "Configuration file (default: ${DEFAULT-VALUE}). See docs/configuration.md.")
    Path file;
}
