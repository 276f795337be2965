package io.sketchgate.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeSettingsTest {

    @TempDir
    Path home;

    @Test
    void singleNode_usesSingleNodeDiscovery_andNoModuleSettingsTheZipLacks() {
        Map<String, Object> settings = NodeSettings.forNode(
                home, "c", List.of("node-0"), 0, 40001, List.of(40002), Path.of("/w/node-0"), Map.of());

        assertThat(settings)
                .containsEntry("discovery.type", "single-node")
                .containsEntry("http.port", 40001)
                .containsEntry("transport.port", 40002)
                .containsEntry("xpack.security.enabled", false)
                .doesNotContainKeys("ingest.geoip.downloader.enabled", "xpack.ml.enabled", "discovery.seed_hosts");
    }

    @Test
    void twoNodes_seedEachOther_andBootstrapWithBothNames() {
        Map<String, Object> settings = NodeSettings.forNode(
                home,
                "c",
                List.of("node-0", "node-1"),
                1,
                40003,
                List.of(40002, 40004),
                Path.of("/w/node-1"),
                Map.of());

        assertThat(NodeSettings.toYaml(settings))
                .contains("node.name: \"node-1\"\n")
                .contains("discovery.seed_hosts: [\"127.0.0.1:40002\", \"127.0.0.1:40004\"]\n")
                .contains("cluster.initial_master_nodes: [\"node-0\", \"node-1\"]\n")
                .doesNotContain("discovery.type");
    }

    @Test
    void optionalModules_getTheirSettingsOnlyWhenInstalled() throws IOException {
        Files.createDirectories(home.resolve("modules/ingest-geoip"));
        Files.createDirectories(home.resolve("modules/x-pack-ml"));

        Map<String, Object> settings =
                NodeSettings.forNode(home, "c", List.of("node-0"), 0, 1, List.of(2), Path.of("/w"), Map.of());

        assertThat(settings)
                .containsEntry("ingest.geoip.downloader.enabled", false)
                .containsEntry("xpack.ml.enabled", false);
    }
}
