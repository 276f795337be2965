package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The test copy of Kibana's recorded requests is the same as the recordings beside the repository. */
class KibanaFixturesTest {

    @Test
    void copyInTestResources_holdsEveryRecordedRequest() {
        assertThat(KibanaFixtures.all()).as("requests and their 'also' calls").hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void copyInTestResources_equalsTheSharedRecordings_whenTheyAreBesideTheRepository() throws IOException {
        Path shared = KibanaFixtures.sharedRecordings().orElse(null);
        Assumptions.assumeTrue(shared != null, "no shared/kibana above the repository (a clone on its own)");
        Path copy = KibanaFixtures.directory();

        assertThat(names(copy)).as("files in %s and %s", copy, shared).isEqualTo(names(shared));
        for (String name : names(shared)) {
            assertThat(Files.readString(copy.resolve(name)))
                    .as(
                            "%s differs from the recording: copy %s to proxy/src/test/resources/kibana/",
                            name, shared.resolve(name))
                    .isEqualTo(Files.readString(shared.resolve(name)));
        }
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
