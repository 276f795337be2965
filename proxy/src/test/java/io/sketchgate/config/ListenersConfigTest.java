package io.sketchgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListenersConfigTest {
    private static final Path FILE = Path.of("sketchgate.yml");

    @Test
    void transportAndEventLoops_default_toDetectedAndOnePerCore() throws Exception {
        SketchgateConfig config =
                new ConfigLoader(Map.of()).load(FILE, "elasticsearch:\n  hosts: [\"http://127.0.0.1:9200\"]\n");
        assertThat(config.listeners().transport()).isEqualTo("auto");
        assertThat(config.listeners().eventLoops()).isZero();
        assertThat(config.listeners().warmup()).isTrue();
    }

    @Test
    void warmup_off_isRead() throws Exception {
        SketchgateConfig config = new ConfigLoader(Map.of())
                .load(FILE, "listeners:\n  warmup: off\nelasticsearch:\n  hosts: [\"http://127.0.0.1:9200\"]\n");
        assertThat(config.listeners().warmup()).isFalse();
    }

    @Test
    void transportAndEventLoops_areRead() throws Exception {
        SketchgateConfig config = new ConfigLoader(Map.of())
                .load(
                        FILE,
                        "listeners:\n  transport: io_uring\n  event_loops: 1\n"
                                + "elasticsearch:\n  hosts: [\"http://127.0.0.1:9200\"]\n");
        assertThat(config.listeners().transport()).isEqualTo("io_uring");
        assertThat(config.listeners().eventLoops()).isEqualTo(1);
    }
}
