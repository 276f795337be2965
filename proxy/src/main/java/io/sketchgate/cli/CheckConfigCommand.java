package io.sketchgate.cli;

import io.sketchgate.config.ConfigPrinter;
import io.sketchgate.config.SketchgateConfig;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sketchgate check-config}: the resolved config and OK, or every problem in it. */
@Command(
        name = "check-config",
        mixinStandardHelpOptions = true,
        description = {
            "Validate the configuration file.",
            "Prints it resolved (defaults filled in, secrets masked) followed by OK and exits 0,"
                    + " or prints every problem and exits 1."
        })
final class CheckConfigCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigFileOption config;

    @Override
    public Integer call() {
        Optional<SketchgateConfig> found =
                config.load(main.loader(), spec.commandLine().getErr());
        if (found.isEmpty()) {
            return Main.EXIT_FAILED;
        }
        SketchgateConfig loaded = found.get();
        spec.commandLine().getOut().print(ConfigPrinter.toYaml(loaded));
        spec.commandLine().getOut().println("OK");
        return Main.EXIT_OK;
    }
}
