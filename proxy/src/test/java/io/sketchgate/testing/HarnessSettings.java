package io.sketchgate.testing;

import io.sketchgate.embedded.EmbeddedElasticsearch;
import io.sketchgate.embedded.ElasticsearchDistribution;
import io.sketchgate.embedded.ElasticsearchVersion;

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

    private HarnessSettings() {
    }

    static EmbeddedElasticsearch cluster(int nodes) throws IOException {
        return builder((nodes == 1 ? "node-" : "cluster-") + ProcessHandle.current().pid()).nodes(nodes).build();
    }

    /**
     * A builder for a private node of a test class that needs settings the shared node cannot have (security
     * on, say): the build's version and distribution, its own cluster name {@code sketchgate-test-<name>} and
     * work directory. The caller starts it and closes it.
     */
    public static EmbeddedElasticsearch.Builder builder(String name) {
        String version = System.getProperty("es.version", ElasticsearchVersion.ofBuild());
        Path target = Path.of("target").toAbsolutePath();
        List<Path> searchPath = new ArrayList<>();
        String distDir = System.getProperty("es.dist.dir");
        if (distDir != null && !distDir.isBlank()) {
            searchPath.add(Path.of(distDir));
            target = Path.of(distDir).toAbsolutePath().getParent();
        }
        searchPath.addAll(ElasticsearchDistribution.defaultSearchPath(version,
                Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home"))));
        String clusterName = "sketchgate-test-" + name;
        return EmbeddedElasticsearch.builder()
                .version(version)
                .searchPath(searchPath)
                .heap("512m")
                .unpackRoot(target.resolve("es-home"))
                .clusterName(clusterName)
                .workDir(target.resolve("es-work").resolve(clusterName));
    }
}
