package io.sketchgate.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElasticsearchDistributionTest {

    @TempDir
    Path dir;

    @Test
    void locate_withNoZipAnywhere_tellsHowToDownloadIt() {
        Path distDir = dir.resolve("es-dist");
        Path inM2 = dir.resolve("m2/elasticsearch-9.9.9.zip");

        assertThatThrownBy(() -> ElasticsearchDistribution.locate("9.9.9", List.of(distDir, inM2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("No Elasticsearch 9.9.9 distribution (elasticsearch-9.9.9.zip) found in " + distDir + ", "
                        + inM2 + ". Run ./mvnw -pl proxy generate-resources -Des.version=9.9.9 to download it.");
    }

    @Test
    void locate_takesTheFirstCandidateHoldingTheZip() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path full = Files.createDirectories(dir.resolve("full"));
        Path zip = fakeDistribution(full, "1.2.3");

        ElasticsearchDistribution distribution = ElasticsearchDistribution.locate("1.2.3", List.of(empty, full));

        assertThat(distribution.zip()).isEqualTo(zip);
        assertThat(distribution.majorVersion()).isEqualTo(1);
    }

    @Test
    void unpack_setsExecutableBitsOnScriptsOnly() throws IOException {
        ElasticsearchDistribution distribution =
                ElasticsearchDistribution.ofZip("1.2.3", fakeDistribution(dir, "1.2.3"));

        Path home = distribution.unpack(dir.resolve("homes"));

        assertThat(home).isEqualTo(dir.resolve("homes/1.2.3/elasticsearch-1.2.3"));
        assertThat(home.resolve("bin/elasticsearch")).isExecutable();
        assertThat(home.resolve("modules/x-pack-ml/platform/linux-x86_64/bin/controller"))
                .isExecutable();
        assertThat(Files.getPosixFilePermissions(home.resolve("lib/elasticsearch.jar")))
                .extracting(Object::toString)
                .doesNotContain("OWNER_EXECUTE");
    }

    @Test
    void unpack_byConcurrentCallers_publishesOneCompleteCopy() throws Exception {
        ElasticsearchDistribution distribution =
                ElasticsearchDistribution.ofZip("1.2.3", fakeDistribution(dir, "1.2.3"));
        Path root = dir.resolve("homes");
        int callers = 4;
        CyclicBarrier start = new CyclicBarrier(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Path>> homes = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                homes.add(pool.submit((Callable<Path>) () -> {
                    start.await();
                    return distribution.unpack(root);
                }));
            }
            for (Future<Path> home : homes) {
                assertThat(home.get()).isEqualTo(root.resolve("1.2.3/elasticsearch-1.2.3"));
            }
        } finally {
            pool.shutdown();
        }
        try (Stream<Path> left = Files.list(root.resolve("1.2.3"))) {
            assertThat(left).containsExactly(root.resolve("1.2.3/elasticsearch-1.2.3"));
        }
        assertThat(Files.readString(root.resolve("1.2.3/elasticsearch-1.2.3/bin/elasticsearch")))
                .startsWith("#!");
    }

    @Test
    void unpack_ofAZipReachingOutsideItsTarget_isRefused() throws IOException {
        Path zip = dir.resolve("elasticsearch-6.6.6.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("elasticsearch-6.6.6/../../escaped"));
            out.closeEntry();
        }

        assertThatThrownBy(() -> ElasticsearchDistribution.ofZip("6.6.6", zip).unpack(dir.resolve("homes")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("points outside the target");
    }

    private static Path fakeDistribution(Path dir, String version) throws IOException {
        Path zip = dir.resolve("elasticsearch-" + version + ".zip");
        String top = "elasticsearch-" + version + "/";
        try (OutputStream raw = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(raw)) {
            entry(out, top + "bin/elasticsearch", "#!/bin/bash\nexec java\n");
            entry(out, top + "lib/elasticsearch.jar", "PK");
            entry(out, top + "config/elasticsearch.yml", "# empty\n");
            entry(out, top + "modules/x-pack-ml/platform/linux-x86_64/bin/controller", "ELF");
        }
        return zip;
    }

    private static void entry(ZipOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
