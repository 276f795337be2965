package io.sketchgate.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OS user Elasticsearch processes run as.
 *
 * <p>Elasticsearch refuses to start as root, and CI containers often run builds as root. Then the
 * nodes run as the system user {@value #SYSTEM_USER} (created on first use) through {@code runuser},
 * and the files they write are handed to that user first. Otherwise they run as the current user.
 */
final class NodeUser {

    static final String SYSTEM_USER = "esrun";

    private static final Logger LOG = LoggerFactory.getLogger(NodeUser.class);

    private final boolean switchUser;

    private NodeUser(boolean switchUser) {
        this.switchUser = switchUser;
    }

    static NodeUser forThisProcess() throws IOException {
        if (!isRoot()) {
            return new NodeUser(false);
        }
        ensureSystemUserExists();
        return new NodeUser(true);
    }

    boolean switchesUser() {
        return switchUser;
    }

    /**
     * The command line that runs {@code command} with {@code environment} as this user. {@code runuser}
     * resets parts of the environment, so variables travel on {@code env}'s command line instead.
     */
    List<String> command(List<String> command, Map<String, String> environment) {
        if (!switchUser) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", SYSTEM_USER, "--", "env"));
        environment.forEach((name, value) -> wrapped.add(name + "=" + value));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Gives {@code root} and everything below it to this user (a no-op unless switching users). */
    void own(Path root) throws IOException {
        if (!switchUser) {
            return;
        }
        letTraverse(root.toAbsolutePath().getParent());
        UserPrincipalLookupService lookup = root.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(SYSTEM_USER);
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(SYSTEM_USER);
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                PosixFileAttributeView view = Files.getFileAttributeView(
                        path, PosixFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                view.setOwner(user);
                view.setGroup(group);
            }
        }
    }

    /**
     * Adds search permission for others to every directory above the node's files that lacks it (a checkout under
     * {@code mktemp -d}, mode 0700, would otherwise stop {@value #SYSTEM_USER} before it reaches them: exit 126).
     * Only traversal is granted, never listing or reading.
     */
    private static void letTraverse(Path directory) throws IOException {
        for (Path dir = directory; dir != null; dir = dir.getParent()) {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
            if (permissions.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                Files.setPosixFilePermissions(dir, permissions);
                LOG.info("Allowed {} to traverse {} to reach the Elasticsearch files below it", SYSTEM_USER, dir);
            }
        }
    }

    private static boolean isRoot() {
        try {
            // the owner of /proc/self is this process's effective user
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException noProc) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Tolerates the user existing already, including another JVM creating it at this very moment. */
    private static void ensureSystemUserExists() throws IOException {
        for (int attempt = 1; ; attempt++) {
            if (run("id", "-u", SYSTEM_USER) == 0) {
                return;
            }
            int exit = run("useradd", "-r", "-m", "-s", "/usr/sbin/nologin", SYSTEM_USER);
            if (exit == 0) {
                LOG.info("Created system user {} to run Elasticsearch, which refuses to run as root", SYSTEM_USER);
                return;
            }
            if (attempt == 5) {
                throw new IOException("Cannot create system user " + SYSTEM_USER + " (useradd exited with " + exit
                        + "); Elasticsearch refuses to run as root. Create it with: useradd -r -m " + SYSTEM_USER);
            }
            sleep(200L * attempt);
        }
    }

    private static int run(String... command) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 30 s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while running " + String.join(" ", command), e);
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted", e);
        }
    }
}
