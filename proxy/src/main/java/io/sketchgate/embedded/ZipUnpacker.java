package io.sketchgate.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Extracts a distribution zip with {@code java.util.zip}, so no {@code unzip} binary is needed.
 *
 * <p>{@code java.util.zip} does not surface Unix modes, so modes are set by rule: everything readable
 * by all (the nodes may run as another user), and executable where Elasticsearch keeps executables.
 */
final class ZipUnpacker {

    /** Scripts, a bundled JDK and ML's native controllers are the only executables in a distribution. */
    private static final Pattern EXECUTABLE = Pattern.compile(
            "bin/[^/]+|jdk/bin/[^/]+|jdk/lib/[^/]*(jspawnhelper|jexec)|modules/x-pack-ml/platform/.+/bin/[^/]+");

    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> EXECUTABLE_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    private final Path zip;

    ZipUnpacker(Path zip) {
        this.zip = zip;
    }

    /** Returns the single top-level directory of the zip, as unpacked under {@code target}. */
    Path unpackInto(Path target) throws IOException {
        Path top = null;
        try (InputStream raw = Files.newInputStream(zip);
                ZipInputStream in = new ZipInputStream(raw)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path destination = target.resolve(entry.getName()).normalize();
                if (!destination.startsWith(target)) {
                    throw new IOException("Zip entry " + entry.getName() + " in " + zip + " points outside the target");
                }
                Path relative = target.relativize(destination);
                if (top == null) {
                    top = target.resolve(relative.getName(0));
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                    Files.setPosixFilePermissions(destination, EXECUTABLE_MODE);
                    continue;
                }
                Files.createDirectories(destination.getParent());
                Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
                String inDistribution = relative.getNameCount() > 1
                        ? relative.subpath(1, relative.getNameCount()).toString()
                        : relative.toString();
                Files.setPosixFilePermissions(
                        destination, EXECUTABLE.matcher(inDistribution).matches() ? EXECUTABLE_MODE : READABLE);
            }
        }
        if (top == null) {
            throw new IOException(zip + " is empty");
        }
        // directories created implicitly for files inherit the umask; make them traversable by all
        try (var walk = Files.walk(top)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (Files.isDirectory(path)) {
                    Files.setPosixFilePermissions(path, EXECUTABLE_MODE);
                }
            }
        }
        return top;
    }
}
