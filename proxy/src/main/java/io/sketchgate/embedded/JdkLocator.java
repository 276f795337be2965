package io.sketchgate.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Picks the JDK a given Elasticsearch major runs on, because the {@code integ-test-zip} bundles none.
 *
 * <p>The running JDK wins when it fits, so a plain build needs nothing installed beside it. Otherwise
 * the JDKs under the scan roots (each a directory of JDK homes, like {@code /usr/lib/jvm}) are read
 * from their {@code release} files and the oldest that fits is taken: the oldest supported JDK is the
 * one Elasticsearch was tested on longest.
 */
public final class JdkLocator {

    /** The default place Linux packages and most JDK installers put JDKs. */
    public static final Path LINUX_JVM_DIR = Path.of("/usr/lib/jvm");

    private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"?([0-9._]+)", Pattern.MULTILINE);

    private final Jdk running;
    private final List<Path> scanRoots;

    public JdkLocator(Jdk running, List<Path> scanRoots) {
        this.running = running;
        this.scanRoots = List.copyOf(scanRoots);
    }

    /** The JDK this JVM runs on, and {@code /usr/lib/jvm}. */
    public static JdkLocator forThisJvm() {
        return new JdkLocator(
                new Jdk(
                        Path.of(System.getProperty("java.home")),
                        Runtime.version().feature()),
                List.of(LINUX_JVM_DIR));
    }

    /** Java 11 runs 7.17, 8.x needs 17, 9.x needs 21. */
    public static int minimumJavaFor(int esMajor) {
        if (esMajor <= 7) {
            return 11;
        }
        return esMajor == 8 ? 17 : 21;
    }

    /**
     * The newest Java a major can run on. 7.x and 8.x install a SecurityManager, which Java 24 removed;
     * 7.17 was never tested beyond 21.
     */
    public static int maximumJavaFor(int esMajor) {
        if (esMajor <= 7) {
            return 21;
        }
        return esMajor == 8 ? 23 : Integer.MAX_VALUE;
    }

    /** The JDK home to run Elasticsearch {@code esMajor} with. */
    public Path locate(int esMajor) {
        int min = minimumJavaFor(esMajor);
        int max = maximumJavaFor(esMajor);
        if (running.feature() >= min && running.feature() <= max) {
            return running.home();
        }
        List<Jdk> installed = installed();
        return installed.stream()
                .filter(jdk -> jdk.feature() >= min && jdk.feature() <= max)
                .min(Comparator.comparingInt(Jdk::feature))
                .map(Jdk::home)
                .orElseThrow(() -> new IllegalStateException("Elasticsearch " + esMajor + ".x needs Java " + min
                        + (max == Integer.MAX_VALUE ? "+" : " to " + max) + ", but this JVM is Java "
                        + running.feature()
                        + " and " + scanRoots.stream().map(Path::toString).collect(Collectors.joining(", "))
                        + (installed.isEmpty()
                                ? " holds no JDK"
                                : " holds only "
                                        + installed.stream()
                                                .map(jdk -> jdk.home() + " (Java " + jdk.feature() + ")")
                                                .collect(Collectors.joining(", ")))
                        + ". Install a suitable JDK there."));
    }

    /** Every JDK under the scan roots, each once even when reachable through several symlinks. */
    public List<Jdk> installed() {
        Set<Path> seen = new LinkedHashSet<>();
        List<Jdk> jdks = new ArrayList<>();
        for (Path root : scanRoots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> children = Files.list(root)) {
                for (Path child : children.sorted().collect(Collectors.toList())) {
                    Optional<Jdk> jdk = read(child);
                    if (jdk.isPresent() && seen.add(jdk.get().home())) {
                        jdks.add(jdk.get());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list JDKs in " + root, e);
            }
        }
        return List.copyOf(jdks);
    }

    private static Optional<Jdk> read(Path candidate) {
        Path release = candidate.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isRegularFile(candidate.resolve("bin/java"))) {
            return Optional.empty();
        }
        try {
            Matcher matcher = JAVA_VERSION.matcher(Files.readString(release));
            if (!matcher.find()) {
                return Optional.empty();
            }
            return Optional.of(new Jdk(candidate.toRealPath(), feature(matcher.group(1))));
        } catch (IOException | NumberFormatException unreadable) {
            return Optional.empty();
        }
    }

    /** {@code "17.0.15"} → 17, {@code "1.8.0_402"} → 8. */
    static int feature(String javaVersion) {
        String[] parts = javaVersion.split("[._]");
        int first = Integer.parseInt(parts[0]);
        return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
    }

    /** A JDK home and its feature release (17, 21, 25...). */
    public record Jdk(Path home, int feature) {}
}
