package io.sketchgate.cli;

import io.sketchgate.config.ConfigException;
import io.sketchgate.config.SketchgateConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --config FILE}, shared by the commands that load a configuration, with what those commands need around
 * it: the loaded configuration, the parent {@link Main} and the command's output streams. One mixin instead of
 * the same {@code @ParentCommand}/{@code @Spec} fields and load-or-fail lines in every command.
 */
final class ConfigFileOption {
    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            defaultValue = "config/sketchgate.yml",
            description = "Configuration file (default: ${DEFAULT-VALUE}). See docs/configuration.md.")
    Path file;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    /** The loaded configuration, or empty after printing every problem to {@link #err}. */
    Optional<SketchgateConfig> load() {
        try {
            return Optional.of(main().loader().load(file));
        } catch (ConfigException e) {
            e.problems().forEach(err()::println);
            return Optional.empty();
        }
    }

    Main main() {
        return (Main) command.parent().userObject();
    }

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    PrintWriter err() {
        return command.commandLine().getErr();
    }
}
