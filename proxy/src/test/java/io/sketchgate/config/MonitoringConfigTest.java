package io.sketchgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code usage} and {@code metrics} sections: defaults, values, and which addresses may scrape. */
class MonitoringConfigTest {
    @Test
    void defaults_flushEveryMinuteToTheHiddenIndex_andNobodyScrapesWithoutCredentials(@TempDir Path dir)
            throws Exception {
        SketchgateConfig config = load(dir, "");
        assertThat(config.usage()).isEqualTo(new UsageConfig(Duration.ofSeconds(60), "sketchgate-usage", 100_000));
        assertThat(config.metrics().unauthenticatedScrapeFrom()).isEmpty();
        assertThat(config.metrics().allowsUnauthenticated("127.0.0.1")).isFalse();
    }

    @Test
    void givenValues_areRead(@TempDir Path dir) throws Exception {
        SketchgateConfig config = load(dir, """
                usage: { flush_interval: 15s, index: my-usage, max_entries: 500 }
                metrics: { unauthenticated_scrape_from: ["10.1.0.0/16", "192.168.1.7", "fd00::/8"] }
                """);
        assertThat(config.usage()).isEqualTo(new UsageConfig(Duration.ofSeconds(15), "my-usage", 500));
        MetricsConfig metrics = config.metrics();
        assertThat(metrics.allowsUnauthenticated("10.1.200.3")).isTrue();
        assertThat(metrics.allowsUnauthenticated("10.2.0.1")).isFalse();
        assertThat(metrics.allowsUnauthenticated("192.168.1.7")).isTrue();
        assertThat(metrics.allowsUnauthenticated("192.168.1.8")).isFalse();
        assertThat(metrics.allowsUnauthenticated("fd12:3456::1")).isTrue();
        assertThat(metrics.allowsUnauthenticated("fe80::1")).isFalse();
        assertThat(metrics.allowsUnauthenticated("localhost")).isFalse(); // never a name lookup
    }

    @Test
    void cidrPrefixesCutInsideAByte() {
        StringBuilder problem = new StringBuilder();
        AddressRange range = AddressRange.parse("10.0.0.128/25", problem).orElseThrow();
        assertThat(range.contains("10.0.0.200")).isTrue();
        assertThat(range.contains("10.0.0.127")).isFalse();
        assertThat(AddressRange.parse("0.0.0.0/0", problem).orElseThrow().contains("8.8.8.8"))
                .isTrue();
        assertThat(problem).isEmpty();
    }

    private static SketchgateConfig load(Path dir, String tail) throws Exception {
        Path file = dir.resolve("sketchgate.yml");
        Files.writeString(file, "elasticsearch:\n  hosts: [\"http://127.0.0.1:9200\"]\n" + tail);
        return new ConfigLoader(Map.of()).load(file);
    }
}
