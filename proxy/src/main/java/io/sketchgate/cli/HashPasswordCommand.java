package io.sketchgate.cli;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sketchgate hash-password}: a bcrypt hash for {@code users.NAME.password_hash}. The password is read
 * without echo from the terminal (asked twice), or as the first line of stdin when that is not a terminal, and
 * never from the command line, where it would land in shell history and {@code ps}.
 */
@Command(
        name = "hash-password",
        mixinStandardHelpOptions = true,
        description = {
            "Print a bcrypt hash of a password, for users.NAME.password_hash.",
            "Reads the password from the terminal without echo, or the first line of stdin when piped:",
            "  ./sketchgate hash-password < password.txt"
        })
final class HashPasswordCommand implements Callable<Integer> {
    /** bcrypt uses only the first 72 bytes; longer passwords would silently match on their prefix. */
    static final int MAX_PASSWORD_BYTES = 72;

    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--cost",
            defaultValue = "12",
            paramLabel = "N",
            description = "bcrypt cost, 10 to 14 (default: ${DEFAULT-VALUE}); each step doubles the time of a check.")
    int cost;

    @Override
    public Integer call() throws IOException {
        if (cost < 10 || cost > 14) {
            spec.commandLine().getErr().println("--cost must be from 10 to 14, was " + cost);
            return Main.EXIT_FAILED;
        }
        char[] password = read();
        if (password == null) {
            return Main.EXIT_FAILED;
        }
        try {
            if (password.length == 0) {
                spec.commandLine().getErr().println("The password is empty.");
                return Main.EXIT_FAILED;
            }
            byte[] bytes = new String(password).getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_PASSWORD_BYTES) {
                spec.commandLine()
                        .getErr()
                        .println("The password is longer than " + MAX_PASSWORD_BYTES
                                + " bytes, which bcrypt ignores beyond; use a shorter one.");
                return Main.EXIT_FAILED;
            }
            spec.commandLine()
                    .getOut()
                    .println(BCrypt.with(BCrypt.Version.VERSION_2A).hashToString(cost, password));
            return Main.EXIT_OK;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** The password, or null after saying why there is none. */
    private char[] read() throws IOException {
        Console console = System.console();
        if (console != null && main.stdin() == System.in) {
            char[] first = console.readPassword("Password: ");
            char[] second = first == null ? null : console.readPassword("Again: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                spec.commandLine().getErr().println("The passwords do not match.");
                return null;
            }
            Arrays.fill(second, '\0');
            return first;
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(main.stdin(), StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (line == null) {
            spec.commandLine().getErr().println("No password on stdin: pipe it in, or run in a terminal to be asked.");
            return null;
        }
        return line.toCharArray();
    }
}
