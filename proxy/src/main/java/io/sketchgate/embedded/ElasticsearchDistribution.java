package io.sketchgate.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One Elasticsearch {@code integ-test-zip} on disk, and its unpacked copy.
 *
 * <p>The zip comes through Maven like any dependency ({@code proxy/pom.xml} copies it to
 * {@code proxy/target/es-dist/}), so nothing here downloads. Unpacked copies are shared by every
 * JVM that names the same unpack root; see {@link #unpack(Path)}.
 */
public final class ElasticsearchDistribution {

    private final String version;
    private final Path zip;

    private ElasticsearchDistribution(String version, Path zip) {
        this.version = Objects.requireNonNull(version, "version");
        this.zip = Objects.requireNonNull(zip, "zip");
    }

    /** A zip whose path is known; the version is taken on trust from the caller. */
    public static ElasticsearchDistribution ofZip(String version, Path zip) {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalArgumentException("Elasticsearch distribution " + zip + " does not exist");
        }
        return new ElasticsearchDistribution(version, zip);
    }

    /**
     * Finds {@code elasticsearch-<version>.zip} among {@code candidates}, each either the zip itself or a
     * directory holding it; the first that exists wins.
     */
    public static ElasticsearchDistribution locate(String version, List<Path> candidates) {
        String fileName = fileName(version);
        for (Path candidate : candidates) {
            Path zip = Files.isDirectory(candidate) ? candidate.resolve(fileName) : candidate;
            if (Files.isRegularFile(zip) && zip.getFileName().toString().equals(fileName)) {
                return new ElasticsearchDistribution(
                        version, zip.toAbsolutePath().normalize());
            }
        }
        throw new IllegalStateException("No Elasticsearch " + version + " distribution (" + fileName + ") found in "
                + candidates.stream().map(Path::toString).collect(Collectors.joining(", "))
                + ". Run ./mvnw -pl proxy generate-resources -Des.version=" + version + " to download it.");
    }

    /**
     * Where a build puts the zip, in the order searched: the module's {@code target/es-dist} seen from
     * the repository root or from the module, then the local Maven repository.
     */
    public static List<Path> defaultSearchPath(String version, Path workingDirectory, Path userHome) {
        List<Path> path = new ArrayList<>();
        path.add(workingDirectory.resolve("proxy/target/es-dist"));
        path.add(workingDirectory.resolve("target/es-dist"));
        path.add(userHome.resolve(".m2/repository/org/elasticsearch/distribution/integ-test-zip/elasticsearch")
                .resolve(version)
                .resolve(fileName(version)));
        return List.copyOf(path);
    }

    public String version() {
        return version;
    }

    public int majorVersion() {
        return ElasticsearchVersion.major(version);
    }

    public Path zip() {
        return zip;
    }

    /**
     * The Elasticsearch home under {@code unpackRoot/<version>/elasticsearch-<version>}, unpacking the zip
     * first if no other JVM has. Safe against concurrent callers: each unpacks into its own temporary
     * directory and publishes it with one atomic rename; the loser deletes its copy.
     */
    public Path unpack(Path unpackRoot) throws IOException {
        return unpack(unpackRoot, home -> {});
    }

    /** As {@link #unpack(Path)}, letting {@code beforePublish} adjust the copy (ownership) before others can see it. */
    Path unpack(Path unpackRoot, PathPreparer beforePublish) throws IOException {
        Path versionDir = unpackRoot.toAbsolutePath().normalize().resolve(version);
        Path home = versionDir.resolve("elasticsearch-" + version);
        if (Files.isDirectory(home)) {
            return home;
        }
        Files.createDirectories(versionDir);
        Path staging = Files.createTempDirectory(versionDir, ".unpacking-");
        try {
            Path unpacked = new ZipUnpacker(zip).unpackInto(staging);
            beforePublish.prepare(unpacked);
            try {
                Files.move(unpacked, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // Linux reports a lost race as a plain "Directory not empty"; another JVM published the
                // same version first, and its copy is as good as ours
                if (!Files.isDirectory(home)) {
                    throw e;
                }
            }
        } finally {
            Directories.deleteRecursively(staging);
        }
        if (!Files.isDirectory(home)) {
            throw new IOException("Unpacking " + zip + " did not produce " + home);
        }
        return home;
    }

    private static String fileName(String version) {
        return "elasticsearch-" + version + ".zip";
    }

    @Override
    public String toString() {
        return "Elasticsearch " + version + " (" + zip + ")";
    }

    /** A step applied to a freshly unpacked home before it is published. */
    @FunctionalInterface
    interface PathPreparer {
        void prepare(Path home) throws IOException;
    }
}
