package io.sketchgate.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Elasticsearch cluster of one or two nodes, run as child processes on 127.0.0.1.
 *
 * <pre>{@code
 * try (EmbeddedElasticsearch es = EmbeddedElasticsearch.builder().version("8.19.7").nodes(2).build().start()) {
 *     URI uri = es.httpUris().get(0);
 *     es.kill(1);      // SIGKILL to node 1's server JVM
 *     es.restart(1);   // same ports and data; returns once the cluster has both nodes again
 * }
 * }</pre>
 *
 * <p>Ports are chosen free on every start (other builds on the same machine start nodes too; 9200 and
 * 9300 are never used), and a start that loses a port race is retried on new ports. Every run gets its
 * own cluster name and work directory, which {@link #close()} deletes.
 *
 * <p>In a two-node cluster Elasticsearch keeps only one node in the voting configuration (it must be
 * odd-sized), so killing the elected master leaves the other node serving reads but unable to elect a
 * master or answer cluster-level calls. Kill {@link #nonMasterIndex()} when the survivor must stay fully
 * functional, and give indices a replica so it holds all the data.
 */
public final class EmbeddedElasticsearch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedElasticsearch.class);
    private static final int START_ATTEMPTS = 3;
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Builder settings;
    private final HttpProbe probe;
    private final List<EmbeddedNode> nodes = new ArrayList<>();
    private final Thread destroyOnExit;
    private String version;
    private Path home;
    private Path javaHome;
    private boolean closed;

    private EmbeddedElasticsearch(Builder settings) {
        this.settings = settings;
        this.probe = new HttpProbe(
                settings.fileRealm.isEmpty()
                        ? Optional.empty()
                        : Optional.of(settings.fileRealm.get(0).basicAuthorization()));
        this.destroyOnExit = new Thread(
                () -> nodes.forEach(EmbeddedNode::destroyNow), "destroy-elasticsearch-" + settings.clusterName);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts every node and returns once the cluster is at least yellow with all nodes joined. */
    public synchronized EmbeddedElasticsearch start() throws IOException, InterruptedException {
        if (!nodes.isEmpty()) {
            throw new IllegalStateException("Cluster " + settings.clusterName + " was already started");
        }
        ElasticsearchDistribution distribution = settings.distribution != null
                ? settings.distribution
                : ElasticsearchDistribution.locate(settings.version, settings.searchPath());
        version = distribution.version();
        NodeUser user = NodeUser.forThisProcess();
        home = distribution.unpack(settings.unpackRoot, user::own);
        javaHome =
                settings.javaHome != null ? settings.javaHome : settings.jdkLocator.locate(distribution.majorVersion());
        EmbeddedNode.Launch launch = new EmbeddedNode.Launch(
                home, javaHome, settings.heap, user, FileRealmUser.configFiles(settings.fileRealm));
        Files.createDirectories(settings.workDir);
        if (settings.destroyOnJvmExit) {
            Runtime.getRuntime().addShutdownHook(destroyOnExit);
        }
        LOG.info(
                "Starting Elasticsearch {} cluster {} with {} node(s) on Java in {}, work dir {}",
                version,
                settings.clusterName,
                settings.nodes,
                javaHome,
                settings.workDir);

        for (int attempt = 1; ; attempt++) {
            createNodes(launch);
            try {
                for (EmbeddedNode node : nodes) {
                    node.start();
                }
                Instant deadline = Instant.now().plus(settings.startTimeout);
                for (EmbeddedNode node : nodes) {
                    awaitReady(node, settings.nodes, deadline);
                }
                verifyVersion();
                LOG.info("Elasticsearch {} cluster {} is up at {}", version, settings.clusterName, httpUris());
                return this;
            } catch (IOException e) {
                String tail = logTail(40);
                boolean portTaken = tail.contains("BindHttpException")
                        || tail.contains("BindTransportException")
                        || tail.contains("Address already in use");
                stopAll(Duration.ofSeconds(10));
                if (!portTaken || attempt == START_ATTEMPTS) {
                    throw new IOException(e.getMessage() + "\n" + tail, e);
                }
                LOG.warn("Elasticsearch {} lost a port race on attempt {}; retrying on new ports", version, attempt);
                for (EmbeddedNode node : nodes) {
                    Directories.deleteRecursively(settings.workDir.resolve(node.name()));
                }
                nodes.clear();
            }
        }
    }

    public String version() {
        return version;
    }

    public int majorVersion() {
        return ElasticsearchVersion.major(version);
    }

    public String clusterName() {
        return settings.clusterName;
    }

    public Path workDir() {
        return settings.workDir;
    }

    /** The unpacked distribution the nodes run from. */
    public Path home() {
        return home;
    }

    public Path javaHome() {
        return javaHome;
    }

    /** One {@code http://127.0.0.1:<port>} per node, in node order, whether running or not. */
    public List<URI> httpUris() {
        return nodes.stream().map(EmbeddedNode::httpUri).collect(Collectors.toUnmodifiableList());
    }

    public List<EmbeddedNode> nodes() {
        return List.copyOf(nodes);
    }

    public EmbeddedNode node(int index) {
        return nodes.get(index);
    }

    /** SIGKILL to node {@code index}'s server JVM; returns once the process is gone. */
    public void kill(int index) throws InterruptedException {
        node(index).kill();
    }

    /** Graceful shutdown (SIGTERM) of node {@code index}. */
    public void stop(int index) throws InterruptedException {
        node(index).stop(STOP_GRACE);
    }

    /**
     * Starts a stopped or killed node again on its ports and data, returning once it answers and the
     * cluster has all its nodes again.
     */
    public void restart(int index) throws IOException, InterruptedException {
        EmbeddedNode node = node(index);
        if (node.isRunning()) {
            node.stop(STOP_GRACE);
        }
        node.start();
        awaitReady(node, nodes.size(), Instant.now().plus(settings.startTimeout));
    }

    /** The index of the elected master, as node {@code askIndex} sees it. */
    public int masterIndex(int askIndex) throws IOException, InterruptedException {
        JsonNode master = probe.get(node(askIndex).httpUri(), "/_cat/master?format=json", Duration.ofSeconds(10))
                .orElseThrow(() -> new IOException("Node " + node(askIndex).name() + " knows no master"));
        String name = master.path(0).path("node").asText();
        return IntStream.range(0, nodes.size())
                .filter(i -> nodes.get(i).name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IOException("Master " + name + " is not a node of " + settings.clusterName));
    }

    /** The index of some running node that is not the elected master (for kill tests). */
    public int nonMasterIndex() throws IOException, InterruptedException {
        int ask = IntStream.range(0, nodes.size())
                .filter(i -> nodes.get(i).isRunning())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No node of " + settings.clusterName + " is running"));
        int master = masterIndex(ask);
        return IntStream.range(0, nodes.size())
                .filter(i -> i != master && nodes.get(i).isRunning())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("Only the master of " + settings.clusterName + " runs"));
    }

    /** Waits until node {@code askIndex} sees exactly {@code count} nodes in the cluster. */
    public void awaitNodeCount(int askIndex, int count, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String query = "/_cluster/health?wait_for_nodes=" + count + "&timeout=2s";
        while (probe.get(node(askIndex).httpUri(), query, Duration.ofSeconds(10))
                .isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("Cluster " + settings.clusterName + " did not reach " + count + " nodes within "
                        + timeout + "\n" + logTail(40));
            }
            Thread.sleep(200);
        }
    }

    /** The last {@code lines} lines each node printed, under a header per node. */
    public String logTail(int lines) {
        StringBuilder tail = new StringBuilder();
        for (EmbeddedNode node : nodes) {
            tail.append("==> ")
                    .append(node.name())
                    .append(" (")
                    .append(node.consoleLog())
                    .append(") <==\n");
            node.logTail(lines).forEach(line -> tail.append(line).append('\n'));
        }
        return tail.toString();
    }

    /** Stops every node gracefully (forcibly if interrupted), then deletes the work directory. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopAll(STOP_GRACE);
        } catch (InterruptedException e) {
            // no time to wait for an orderly stop; leave no process behind all the same
            nodes.forEach(EmbeddedNode::destroyNow);
            Thread.currentThread().interrupt();
        }
        if (settings.destroyOnJvmExit && !nodes.isEmpty()) {
            try {
                Runtime.getRuntime().removeShutdownHook(destroyOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway and finds nothing left to destroy
            }
        }
        Directories.deleteRecursively(settings.workDir);
        LOG.info("Stopped Elasticsearch cluster {}", settings.clusterName);
    }

    private void createNodes(EmbeddedNode.Launch launch) throws IOException {
        List<Integer> ports = FreePorts.allocate(2 * settings.nodes);
        List<Integer> httpPorts = ports.subList(0, settings.nodes);
        List<Integer> transportPorts = ports.subList(settings.nodes, 2 * settings.nodes);
        List<String> names =
                IntStream.range(0, settings.nodes).mapToObj(i -> "node-" + i).collect(Collectors.toUnmodifiableList());
        for (int i = 0; i < settings.nodes; i++) {
            Path dir = settings.workDir.resolve(names.get(i));
            Map<String, Object> nodeSettings = NodeSettings.forNode(
                    home,
                    settings.clusterName,
                    names,
                    i,
                    httpPorts.get(i),
                    transportPorts,
                    dir,
                    settings.extraSettings);
            nodes.add(new EmbeddedNode(
                    i, names.get(i), dir, httpPorts.get(i), transportPorts.get(i), nodeSettings, launch));
        }
    }

    /** Yellow with {@code expectedNodes} joined, as seen from {@code node}; then its server PID is known. */
    private void awaitReady(EmbeddedNode node, int expectedNodes, Instant deadline)
            throws IOException, InterruptedException {
        String query = "/_cluster/health?wait_for_status=yellow&wait_for_nodes=" + expectedNodes + "&timeout=2s";
        while (probe.get(node.httpUri(), query, Duration.ofSeconds(10)).isEmpty()) {
            if (!node.isRunning()) {
                throw new IOException("Elasticsearch " + version + " node " + node.name() + " exited during start-up ("
                        + node.exitDescription() + ")");
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("Elasticsearch " + version + " node " + node.name()
                        + " did not become ready within " + settings.startTimeout);
            }
            Thread.sleep(250);
        }
        node.awaitPid(deadline);
    }

    private void verifyVersion() throws IOException, InterruptedException {
        JsonNode info = probe.get(
                        node(0).httpUri(), "/_nodes/_local?filter_path=nodes.*.version", Duration.ofSeconds(10))
                .orElseThrow(() -> new IOException("GET /_nodes/_local failed"));
        String running = info.path("nodes").elements().next().path("version").asText();
        if (!running.equals(version)) {
            throw new IOException("Expected Elasticsearch " + version + " but the node reports " + running);
        }
    }

    private void stopAll(Duration grace) throws InterruptedException {
        // signal all first so the nodes shut down in parallel
        for (EmbeddedNode node : nodes) {
            if (node.isRunning()) {
                node.signalStop();
            }
        }
        for (EmbeddedNode node : nodes) {
            node.stop(grace);
        }
    }

    /** Settings of a cluster; every one has a default that suits tests. */
    public static final class Builder {
        private String version = ElasticsearchVersion.ofBuild();
        private ElasticsearchDistribution distribution;
        private List<Path> searchPath;
        private int nodes = 1;
        private String heap = "512m";
        private Path workDir;
        private Path unpackRoot = Path.of(System.getProperty("java.io.tmpdir"), "sketchgate-es");
        private Path javaHome;
        private JdkLocator jdkLocator = JdkLocator.forThisJvm();
        private Duration startTimeout = Duration.ofMinutes(3);
        private String clusterName = "sketchgate-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        private Map<String, String> extraSettings = Map.of();
        private boolean destroyOnJvmExit = true;
        private List<FileRealmUser> fileRealm = List.of();

        private Builder() {}

        /** Default: the version this build was made with, see {@link ElasticsearchVersion#ofBuild()}. */
        public Builder version(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /** A distribution already located; overrides {@link #version} and {@link #searchPath}. */
        public Builder distribution(ElasticsearchDistribution distribution) {
            this.distribution = Objects.requireNonNull(distribution, "distribution");
            return this;
        }

        /** Where to look for the zip, see {@link ElasticsearchDistribution#locate}. */
        public Builder searchPath(List<Path> searchPath) {
            this.searchPath = List.copyOf(searchPath);
            return this;
        }

        /** 1 (single-node discovery) or 2. */
        public Builder nodes(int nodes) {
            if (nodes != 1 && nodes != 2) {
                throw new IllegalArgumentException("nodes must be 1 or 2, was " + nodes);
            }
            this.nodes = nodes;
            return this;
        }

        /** Heap of each node, as the JVM spells it: {@code 512m}, {@code 1g}. */
        public Builder heap(String heap) {
            this.heap = Objects.requireNonNull(heap, "heap");
            return this;
        }

        /** This run's own directory, deleted by {@link #close()}; default a new temporary directory. */
        public Builder workDir(Path workDir) {
            this.workDir = workDir.toAbsolutePath().normalize();
            return this;
        }

        /** Where versions are unpacked once and shared; default {@code ${java.io.tmpdir}/sketchgate-es}. */
        public Builder unpackRoot(Path unpackRoot) {
            this.unpackRoot = unpackRoot.toAbsolutePath().normalize();
            return this;
        }

        /** Skips {@link JdkLocator}. */
        public Builder javaHome(Path javaHome) {
            this.javaHome = javaHome;
            return this;
        }

        public Builder jdkLocator(JdkLocator jdkLocator) {
            this.jdkLocator = Objects.requireNonNull(jdkLocator, "jdkLocator");
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
            return this;
        }

        public Builder clusterName(String clusterName) {
            this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
            return this;
        }

        /** More {@code elasticsearch.yml} settings, applied last. */
        public Builder settings(Map<String, String> extraSettings) {
            this.extraSettings = Map.copyOf(extraSettings);
            return this;
        }

        /**
         * Whether a JVM shutdown hook SIGKILLs nodes left running (default true), so an aborted test run
         * leaves no orphans. Turn off when the caller's own hook stops things in order.
         */
        public Builder destroyOnJvmExit(boolean destroyOnJvmExit) {
            this.destroyOnJvmExit = destroyOnJvmExit;
            return this;
        }

        /**
         * Turns security on (over plain http: {@code xpack.security.http.ssl} and, for one node, transport ssl off)
         * with a user of the file realm; call again for more users. The first user must be able to read cluster
         * health ({@code superuser}): the start-up checks log in as that user.
         */
        public Builder fileRealmUser(String name, String password, String... roles) {
            List<FileRealmUser> users = new ArrayList<>(fileRealm);
            users.add(new FileRealmUser(name, password, List.of(roles)));
            this.fileRealm = List.copyOf(users);
            Map<String, String> security = new HashMap<>(extraSettings);
            security.put("xpack.security.enabled", "true");
            security.put("xpack.security.http.ssl.enabled", "false");
            security.put("xpack.security.transport.ssl.enabled", "false");
            this.extraSettings = Map.copyOf(security);
            return this;
        }

        public EmbeddedElasticsearch build() throws IOException {
            if (workDir == null) {
                workDir = Files.createTempDirectory("sketchgate-es-");
            }
            return new EmbeddedElasticsearch(copy());
        }

        List<Path> searchPath() {
            return searchPath != null
                    ? searchPath
                    : ElasticsearchDistribution.defaultSearchPath(
                            version, Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")));
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.version = version;
            copy.distribution = distribution;
            copy.searchPath = searchPath;
            copy.nodes = nodes;
            copy.heap = heap;
            copy.workDir = workDir;
            copy.unpackRoot = unpackRoot;
            copy.javaHome = javaHome;
            copy.jdkLocator = jdkLocator;
            copy.startTimeout = startTimeout;
            copy.clusterName = clusterName;
            copy.extraSettings = new HashMap<>(extraSettings);
            copy.destroyOnJvmExit = destroyOnJvmExit;
            copy.fileRealm = fileRealm;
            return copy;
        }
    }
}
