package io.sketchgate.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code sketchgate} in a child JVM on the test class path, for tests that kill it or cap its heap. */
public final class SketchgateProcess {
    private SketchgateProcess() {}

    /**
     * Starts {@code java <jvmOptions> io.sketchgate.cli.Main <arguments>}, its output and errors in {@code log}.
     *
     * @param jvmOptions e.g. {@code List.of("-Xmx128m")}
     */
    public static Process start(List<String> jvmOptions, Path log, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.sketchgate.cli.Main");
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}
