package io.sketchgate.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sketchgate.testing.HarnessSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lifecycle cases the shared node never goes through. */
class EmbeddedElasticsearchTest {

    @Test
    void start_withASettingElasticsearchRejects_failsFast_withTheNodesOwnReason() throws Exception {
        EmbeddedElasticsearch es = HarnessSettings.builder(1)
                .settings(Map.of("sketchgate.no_such_setting", "1"))
                .build();
        Path workDir = es.workDir();
        try {
            assertThatThrownBy(es::start)
                    .hasMessageContaining("node-0 exited during start-up")
                    .hasMessageContaining("unknown setting [sketchgate.no_such_setting]");
            assertThat(es.node(0).isRunning()).isFalse();
        } finally {
            es.close();
        }
        assertThat(Files.exists(workDir)).isFalse();
    }

    @Test
    void builder_refusesClustersOfOtherSizes() {
        assertThatThrownBy(() -> EmbeddedElasticsearch.builder().nodes(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodes must be 1 or 2, was 3");
    }
}
