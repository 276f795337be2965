package io.sketchgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code src/test/resources/config/bad-*.yml} is one case: the file's {@code # expect: } lines are the
 * problems the loader must report, exactly and in that order. Adding a case is adding a file.
 */
class BadConfigFilesTest {
    private static final Path DIRECTORY = Path.of("src/test/resources/config");
    private static final String EXPECT = "# expect: ";

    static Stream<Path> badFiles() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(DIRECTORY)) {
            files = listing.filter(p -> p.getFileName().toString().matches("bad-.*\\.yml"))
                    .sorted()
                    .toList();
        }
        assertThat(files).as("bad-*.yml cases").hasSizeGreaterThan(10);
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFile_isRejected_withExactlyTheProblemsItExpects(Path file) throws IOException {
        List<String> expected = Files.readAllLines(file).stream()
                .filter(line -> line.startsWith(EXPECT))
                .map(line -> line.substring(EXPECT.length()))
                .toList();
        assertThat(expected)
                .as("%s states its expected problems in '%s' lines", file, EXPECT)
                .isNotEmpty();

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(Map.of()).load(file));

        assertThat(e).as("%s must not load", file).isNotNull();
        assertThat(e.problems()).containsExactlyElementsOf(expected);
    }
}
