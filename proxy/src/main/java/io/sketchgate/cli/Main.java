package io.sketchgate.cli;

import io.sketchgate.config.ConfigLoader;
import java.io.InputStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./sketchgate}. Commands return exit codes and never exit the JVM themselves, so
 * tests run them in-process through {@link #execute}; only {@link #main} calls {@code System.exit}.
 *
 * <p>Exit codes: 0 success, 1 invalid configuration or failure to start, 2 wrong command line.
 */
@Command(
        name = "sketchgate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Reverse proxy for Elasticsearch that enforces per-user query limits"
                + " and answers unique counts from precomputed sketches.",
        subcommands = {
            RunCommand.class,
            CheckConfigCommand.class,
            DemoCommand.class,
            HashPasswordCommand.class,
            SignHeaderCommand.class,
            PrecomputeCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;

    private final ConfigLoader loader;
    private final StopSignal stopSignal;
    private final InputStream stdin;

    Main(ConfigLoader loader, StopSignal stopSignal, InputStream stdin) {
        this.loader = loader;
        this.stopSignal = stopSignal;
        this.stdin = stdin;
    }

    public static void main(String[] args) {
        LeakDetection.applyToProcess(); // the process only: tests run commands through execute, detector on
        int exitCode = execute(
                args,
                new PrintWriter(System.out, true),
                new PrintWriter(System.err, true),
                ConfigLoader.fromProcessEnvironment());
        System.exit(exitCode);
    }

    /** Runs one command line with the given output streams and environment; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, ConfigLoader loader) {
        return execute(args, out, err, loader, StopSignal.processSignals());
    }

    static int execute(String[] args, PrintWriter out, PrintWriter err, ConfigLoader loader, StopSignal stopSignal) {
        return execute(args, out, err, loader, stopSignal, System.in);
    }

    /** With {@code stdin} in place of the process's, for commands that read it ({@code hash-password}). */
    static int execute(
            String[] args,
            PrintWriter out,
            PrintWriter err,
            ConfigLoader loader,
            StopSignal stopSignal,
            InputStream stdin) {
        CommandLine commandLine = new CommandLine(new Main(loader, stopSignal, stdin));
        commandLine.setOut(out);
        commandLine.setErr(err);
        int exitCode = commandLine.execute(args);
        out.flush();
        err.flush();
        return exitCode;
    }

    ConfigLoader loader() {
        return loader;
    }

    StopSignal stopSignal() {
        return stopSignal;
    }

    InputStream stdin() {
        return stdin;
    }
}
