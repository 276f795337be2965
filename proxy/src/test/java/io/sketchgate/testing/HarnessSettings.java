package io.sketchgate.testing;

import io.sketchgate.embedded.ElasticsearchDistribution;
import io.sketchgate.embedded.ElasticsearchVersion;
import io.sketchgate.embedded.EmbeddedElasticsearch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the build configures the harness: {@code es.version} and {@code es.dist.dir}, which surefire
 * passes from {@code proxy/pom.xml}. Run from an IDE without them, the build's default version and the
 * usual download locations are used.
 *
 * <p>Unpacked distributions live in {@code proxy/target/es-home/<version>/} (beside {@code es-dist}),
 * node data in {@code proxy/target/es-work/<cluster name>/}, deleted when the run ends.
 */
public final class HarnessSettings {

    private HarnessSettings() {}

    /**
     * A builder set up as the shared node's is (version, distribution, directories), for a test that needs
     * a node of its own, e.g. one it breaks on purpose. Give it a cluster name and work dir, start, close.
     */
    public static EmbeddedElasticsearch.Builder builder(int nodes) {
        String version = System.getProperty("es.version", ElasticsearchVersion.ofBuild());
        Path target = workRoot().getParent();
        List<Path> searchPath = new ArrayList<>();
        String distDir = System.getProperty("es.dist.dir");
        if (distDir != null && !distDir.isBlank()) {
            searchPath.add(Path.of(distDir));
        }
        searchPath.addAll(ElasticsearchDistribution.defaultSearchPath(
                version, Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home"))));
        return EmbeddedElasticsearch.builder()
                .version(version)
                .searchPath(searchPath)
                .nodes(nodes)
                .heap("512m")
                .unpackRoot(target.resolve("es-home"))
                .workDir(workRoot().resolve(IndexNames.unique("sketchgate-test")));
    }

    /**
     * A single private node for a test class that needs settings the shared node cannot have (security on,
     * say), named {@code sketchgate-test-<name>} with a work directory of its own. The caller starts and closes it.
     */
    public static EmbeddedElasticsearch.Builder builder(String name) {
        String clusterName = "sketchgate-test-" + name;
        return builder(1).clusterName(clusterName).workDir(workRoot().resolve(clusterName));
    }

    /** {@code proxy/target/es-work}: parent of every test node's work dir. */
    public static Path workRoot() {
        String distDir = System.getProperty("es.dist.dir");
        Path target = distDir != null && !distDir.isBlank()
                ? Path.of(distDir).toAbsolutePath().getParent()
                : Path.of("target").toAbsolutePath();
        return target.resolve("es-work");
    }

    /** The shared node or cluster, named after the JVM so a leftover directory tells whose it was. */
    static EmbeddedElasticsearch cluster(int nodes) throws IOException {
        String clusterName = "sketchgate-test-" + (nodes == 1 ? "node-" : "cluster-")
                + ProcessHandle.current().pid();
        return builder(nodes)
                .clusterName(clusterName)
                .workDir(workRoot().resolve(clusterName))
                .build();
    }
}
