package io.sketchgate.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The benchmark jar shades the proxy's classes beside its own: a benchmark class with the name of a proxy class
 * replaces it there, and a proxy started inside the benchmark's JVM then fails (the distinct-question benchmark's
 * {@code UvQuestion} hid the engine's, so {@code benchmarks/uv/run.sh} answered 500 until 2026-12-07).
 */
class NoShadowedClassesTest {
    @Test
    void noBenchmarkClass_hasTheNameOfAProxyOrHllClass() throws IOException {
        Path benchmarks = Path.of("src/main/java");
        List<Path> modules = List.of(Path.of("../proxy/src/main/java"), Path.of("../hll/src/main/java"));
        assertThat(modules).allMatch(Files::isDirectory);
        try (Stream<Path> sources = Files.walk(benchmarks)) {
            List<Path> shadowing = sources.filter(path -> path.toString().endsWith(".java"))
                    .map(benchmarks::relativize)
                    .filter(relative -> !relative.getFileName().toString().equals("package-info.java"))
                    .filter(relative -> modules.stream().anyMatch(module -> Files.exists(module.resolve(relative))))
                    .toList();
            assertThat(shadowing)
                    .as("benchmark sources with a proxy or hll class's name")
                    .isEmpty();
        }
    }
}
