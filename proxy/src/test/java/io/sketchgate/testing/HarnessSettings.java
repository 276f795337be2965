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
final class HarnessSettings {

    private HarnessSettings() {
    }

    static EmbeddedElasticsearch cluster(int nodes) throws IOException {
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
        EmbeddedElasticsearch.Builder builder = EmbeddedElasticsearch.builder()
                .version(version)
                .searchPath(searchPath)
                .nodes(nodes)
                .heap("512m")
                .unpackRoot(target.resolve("es-home"));
        String clusterName = "sketchgate-test-" + (nodes == 1 ? "node-" : "cluster-") + ProcessHandle.current().pid();
        return builder.clusterName(clusterName).workDir(target.resolve("es-work").resolve(clusterName)).build();
    }
}
