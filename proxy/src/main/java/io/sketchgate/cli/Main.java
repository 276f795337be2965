package io.sketchgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./sketchgate}. */
@Command(name = "sketchgate", mixinStandardHelpOptions = true,
        subcommands = {DemoCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
