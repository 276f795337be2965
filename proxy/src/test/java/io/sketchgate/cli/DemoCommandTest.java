package io.sketchgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.embedded.ElasticsearchVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.http.HttpHost;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {

    @Test
    void options_withoutArguments_haveTheDocumentedDefaults() {
        CommandLine.ParseResult parsed = new CommandLine(new DemoCommand()).parseArgs();

        assertThat(parsed.matchedOptionValue("--events", 0L)).isZero();
        CommandLine.Model.CommandSpec spec = parsed.commandSpec();
        assertThat((Long) spec.findOption("--events").getValue()).isEqualTo(1_000_000L);
        assertThat((Integer) spec.findOption("--days").getValue()).isEqualTo(30);
        assertThat((Integer) spec.findOption("--port").getValue()).isEqualTo(9201);
        assertThat((URI) spec.findOption("--kibana-upstream").getValue()).isNull();
    }

    @Test
    void proxyConfig_putsTheListenerOnLoopback_inFrontOfTheEmbeddedNode() {
        URI node = URI.create("http://127.0.0.1:45678");

        SketchgateConfig config =
                DemoCommand.proxyConfig(List.of(node), 9201, Optional.of(URI.create("http://127.0.0.1:5601")), 5602);

        assertThat(config.listeners().elasticsearch().host()).isEqualTo("127.0.0.1");
        assertThat(config.listeners().elasticsearch().port()).isEqualTo(9201);
        assertThat(config.listeners().kibana()).hasValueSatisfying(kibana -> {
            assertThat(kibana.port()).isEqualTo(5602);
            assertThat(kibana.upstream()).isEqualTo(URI.create("http://127.0.0.1:5601"));
        });
        assertThat(config.elasticsearch().hosts()).containsExactly(node);
        assertThat(config.limits().maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(config.limits().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.limits().responseTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.limits().shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.limits().maxHeaderBytes()).isEqualTo(16 * 1024);
        assertThat(config.limits().maxInitialLineBytes()).isEqualTo(8 * 1024);
        assertThat(config.limits().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.accessLog().path()).contains(Path.of("logs/access.jsonl"));
    }

    /**
     * Runs the whole command on a small sample. While {@code ProxyServer} is still a stub the command
     * ends at the proxy with the stub's exception, having loaded the data and cleaned up; once the proxy
     * exists it serves the sample until stopped.
     */
    @Test
    void demo_startsElasticsearch_loadsTheSample_andCleansUpOnStop() throws Exception {
        String version = System.getProperty("es.version", ElasticsearchVersion.ofBuild());
        Path target = Path.of(System.getProperty("es.dist.dir", "target/es-dist"))
                .toAbsolutePath()
                .getParent();
        Path workDir = target.resolve("es-work/demo-" + ProcessHandle.current().pid());
        DemoCommand demo = new DemoCommand();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine =
                new CommandLine(demo).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread run = new Thread(
                () -> exitCode.set(commandLine.execute(
                        "--es-version",
                        version,
                        "--events",
                        "3000",
                        "--days",
                        "2",
                        "--port",
                        "0",
                        "--es-dist",
                        target.resolve("es-dist").toString(),
                        "--es-cache",
                        target.resolve("es-home").toString(),
                        "--work-dir",
                        workDir.toString())),
                "demo");
        run.start();

        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (run.isAlive()
                && !out.toString().contains("Press Ctrl-C")
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }

        assertThat(out.toString())
                .contains("Elasticsearch " + version + " is up at http://127.0.0.1:")
                .contains("Loading sample web logs into weblogs-*: 3,000 / 3,000 (100%)")
                .contains("Loaded 3,000 page views");
        if (run.isAlive()) {
            String proxyUri = out.toString().replaceAll("(?s).*Sketchgate proxy: +(http://\\S+).*", "$1");
            try (RestClient client =
                    RestClient.builder(HttpHost.create(proxyUri)).build()) {
                Response response = client.performRequest(new Request("GET", "/weblogs-*/_count"));
                assertThat(new String(response.getEntity().getContent().readAllBytes()))
                        .contains("\"count\":3000");
                Response uv =
                        client.performRequest(new Request("GET", "/_sketchgate/uv/weblogs_uv?from=now-3d&interval=1d"));
                com.fasterxml.jackson.databind.JsonNode answer = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(uv.getEntity().getContent());
                assertThat(answer.at("/total/pv").asLong())
                        .as("every sample event, precomputed or read from the source")
                        .isEqualTo(3000);
                assertThat(answer.path("watermark").isTextual())
                        .as("something was precomputed")
                        .isTrue();
            }
            assertThat(out.toString())
                    .contains("Precomputed weblogs_uv: ")
                    .contains("/_sketchgate/uv/weblogs_uv?from=now-7d/d&interval=1d&time_zone=Asia/Seoul");
            demo.stop();
            run.join(Duration.ofMinutes(1).toMillis());
            assertThat(exitCode.get()).isZero();
        } else {
            assertThat(err.toString()).contains("UnsupportedOperationException");
        }
        assertThat(run.isAlive()).isFalse();
        assertThat(Files.exists(workDir)).as("Elasticsearch work dir deleted").isFalse();
    }
}
