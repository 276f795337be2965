package io.sketchgate.embedded;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Elasticsearch node process of an {@link EmbeddedElasticsearch}.
 *
 * <p>Its directory holds {@code config/} (a copy of the distribution's, so concurrent runs never share
 * a keystore), {@code data/}, {@code logs/}, {@code tmp/}, the pid file and {@code console.log}, where
 * the process's stdout and stderr go instead of the parent's console.
 *
 * <p>{@link #pid()} is the Elasticsearch server JVM itself, read from the pid file it writes: the
 * process this class spawns is {@code runuser} and, from 8.0, a launcher JVM in front of the server,
 * and killing either would not kill the node the way a crash does.
 */
public final class EmbeddedNode {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedNode.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(20);
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final int index;
    private final String name;
    private final Path dir;
    private final int httpPort;
    private final int transportPort;
    private final Map<String, Object> settings;
    private final Launch launch;

    private volatile Process process;
    private volatile long pid = -1;

    EmbeddedNode(
            int index,
            String name,
            Path dir,
            int httpPort,
            int transportPort,
            Map<String, Object> settings,
            Launch launch) {
        this.index = index;
        this.name = name;
        this.dir = dir;
        this.httpPort = httpPort;
        this.transportPort = transportPort;
        this.settings = Map.copyOf(settings);
        this.launch = launch;
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public URI httpUri() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public int httpPort() {
        return httpPort;
    }

    public int transportPort() {
        return transportPort;
    }

    /** The PID of the Elasticsearch server JVM; fails if the node is not running. */
    public long pid() {
        long current = pid;
        if (current < 0 || !isRunning()) {
            throw new IllegalStateException("Elasticsearch node " + name + " is not running");
        }
        return current;
    }

    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /** Everything the node printed: startup failures before logging is set up land only here. */
    public Path consoleLog() {
        return dir.resolve("console.log");
    }

    /** The last {@code lines} lines of {@link #consoleLog()}. */
    public List<String> logTail(int lines) {
        Path log = consoleLog();
        if (!Files.exists(log) || lines <= 0) {
            return List.of();
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - 512L * lines - 4096);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
            List<String> tail = new ArrayList<>(List.of(all));
            if (!tail.isEmpty() && tail.get(tail.size() - 1).isEmpty()) {
                tail.remove(tail.size() - 1);
            }
            return List.copyOf(tail.subList(Math.max(0, tail.size() - lines), tail.size()));
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e + ")");
        }
    }

    /** Spawns the process; {@link EmbeddedElasticsearch} waits for it to answer. */
    void start() throws IOException {
        if (isRunning()) {
            throw new IllegalStateException("Elasticsearch node " + name + " is already running");
        }
        Path config = dir.resolve("config");
        if (!Files.isDirectory(config)) {
            Directories.copyRecursively(launch.home().resolve("config"), config);
        }
        for (String sub : List.of("data", "logs", "tmp")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Files.writeString(config.resolve("elasticsearch.yml"), NodeSettings.toYaml(settings));
        for (Map.Entry<String, String> file : launch.configFiles().entrySet()) {
            Files.writeString(config.resolve(file.getKey()), file.getValue());
        }
        Path pidFile = dir.resolve("es.pid");
        Files.deleteIfExists(pidFile);
        launch.user().own(dir.getParent());

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("ES_JAVA_HOME", launch.javaHome().toString());
        // 7.x reads JAVA_HOME
        environment.put("JAVA_HOME", launch.javaHome().toString());
        environment.put("ES_PATH_CONF", config.toString());
        environment.put("ES_TMPDIR", dir.resolve("tmp").toString());
        environment.put("ES_JAVA_OPTS", "-Xms" + launch.heap() + " -Xmx" + launch.heap());
        List<String> command =
                List.of(launch.home().resolve("bin/elasticsearch").toString(), "-p", pidFile.toString());

        List<String> commandLine = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // a session of its own: the terminal's Ctrl-C must not reach the node, whose owner stops it in order
            // --wait: should setsid have to fork, it stays as the process we watch
            commandLine.add(SETSID.toString());
            commandLine.add("--wait");
        }
        commandLine.addAll(launch.user().command(command, environment));
        ProcessBuilder builder = new ProcessBuilder(commandLine)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // options meant for this JVM would leak into the node's
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().putAll(environment);
        pid = -1;
        process = builder.start();
        LOG.info(
                "Started Elasticsearch node {} (http {}, transport {}), log in {}",
                name,
                httpPort,
                transportPort,
                consoleLog());
    }

    /** Reads the server PID once the node writes it; fails if the process dies or time runs out. */
    void awaitPid(Instant deadline) throws IOException, InterruptedException {
        Path pidFile = dir.resolve("es.pid");
        while (true) {
            Optional<Long> written = readPid(pidFile);
            // a half-written file would name some other process; the server is always in our process tree
            if (written.isPresent() && isDescendant(written.get())) {
                pid = written.get();
                return;
            }
            if (!isRunning()) {
                throw new IOException("Elasticsearch node " + name + " exited with " + exitDescription());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("Elasticsearch node " + name + " wrote no pid file " + pidFile + " in time");
            }
            Thread.sleep(100);
        }
    }

    /** SIGKILL to the server JVM, as a crash or the OOM killer would; then the launcher is reaped. */
    void kill() throws InterruptedException {
        long current = pid;
        if (current > 0) {
            ProcessHandle.of(current).ifPresent(ProcessHandle::destroyForcibly);
        }
        reap(KILL_WAIT);
        LOG.info("Killed Elasticsearch node {} (pid {})", name, current);
    }

    /** SIGTERM to the server JVM, which shuts down in order; SIGKILL if it takes longer than {@code grace}. */
    void stop(Duration grace) throws InterruptedException {
        Process current = process;
        if (current == null || !current.isAlive()) {
            return;
        }
        signalStop();
        if (!current.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("Elasticsearch node {} did not stop within {}; killing it", name, grace);
            kill();
        }
    }

    /** SIGTERM without waiting; before the PID is known, to the whole process tree. */
    void signalStop() {
        Process current = process;
        if (current == null) {
            return;
        }
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } else {
            current.toHandle().descendants().forEach(ProcessHandle::destroy);
            current.destroy();
        }
    }

    /** Forcibly ends whatever is left of the process tree, waiting at most {@code wait}. */
    void reap(Duration wait) throws InterruptedException {
        Process current = process;
        if (current == null) {
            return;
        }
        if (!current.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            current.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            current.destroyForcibly();
            current.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** For the JVM-exit safety net: no waiting, no logging. */
    void destroyNow() {
        Process current = process;
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (current != null) {
            current.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            current.destroyForcibly();
        }
    }

    String exitDescription() {
        Process current = process;
        if (current == null) {
            return "no process";
        }
        return current.isAlive() ? "no exit yet" : "exit code " + current.exitValue();
    }

    private boolean isDescendant(long candidate) {
        Process current = process;
        // 7.x's script execs the server JVM, so without runuser the server is the spawned process itself
        return current != null
                && (current.pid() == candidate
                        || current.toHandle().descendants().anyMatch(handle -> handle.pid() == candidate));
    }

    private static Optional<Long> readPid(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        String text = Files.readString(pidFile).trim();
        try {
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (NumberFormatException halfWritten) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return name + "@" + httpUri();
    }

    /** What every node of one cluster is launched with. */
    record Launch(Path home, Path javaHome, String heap, NodeUser user, Map<String, String> configFiles) {
        Launch(Path home, Path javaHome, String heap, NodeUser user) {
            this(home, javaHome, heap, user, Map.of());
        }
    }
}
