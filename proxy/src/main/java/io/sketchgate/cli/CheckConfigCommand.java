package io.sketchgate.cli;

import io.sketchgate.config.ConfigPrinter;
import io.sketchgate.config.SketchgateConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
    @Mixin
    private ConfigFileOption config;

    @Override
    public Integer call() {
        return config.load().map(this::print).orElse(Main.EXIT_FAILED);
    }

    private int print(SketchgateConfig loaded) {
        config.out().print(ConfigPrinter.toYaml(loaded));
        config.out().println("OK");
        return Main.EXIT_OK;
    }
}
