package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kibana's own Elasticsearch client ({@code @elastic/elasticsearch} 8.x on Node, with its product check,
 * vendored content types and retries) drives Sketchgate: {@code src/test/node/kibana-client.test.mjs}.
 */
@RealElasticsearch
@Tag("passthrough")
class KibanaClientTest {
    private static final Path SOURCES = Path.of("src/test/node");
    private static final Path WORK = Path.of("target/node-client");

    @Test
    void kibanasElasticsearchClient_worksThroughSketchgate_asItDoesDirect(TestElasticsearch es) throws Exception {
        // Kibana 8 and its client speak only to Elasticsearch 8 and later (compatible-with=8 media types).
        Assumptions.assumeTrue(
                es.majorVersion() >= 8, "Kibana 8's client does not talk to Elasticsearch " + es.version());
        installClient();
        try (ProxyUnderTest proxy =
                ProxyUnderTest.forElasticsearch(es.baseUri()).shortTimeouts().start()) {
            ProcessResult result = run(
                    List.of("node", "--test", "kibana-client.test.mjs"),
                    Map.of(
                            "ES_DIRECT", es.baseUri().toString(),
                            "ES_PROXY", proxy.baseUri().toString(),
                            "INDEX", IndexNames.unique(KibanaClientTest.class)));
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("# pass 6").contains("# fail 0");
        }
    }

    /** {@code npm ci} from the committed lock file, once per build directory. */
    private static void installClient() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "kibana-client.test.mjs")) {
            Files.copy(SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/@elastic/elasticsearch"))) {
            ProcessResult install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of());
            assertThat(install.exitCode()).as(install.output()).isZero();
        }
    }

    private static ProcessResult run(List<String> command, Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        String text = new String(output, StandardCharsets.UTF_8);
        System.out.println(text);
        return new ProcessResult(process.exitValue(), text);
    }

    private record ProcessResult(int exitCode, String output) {}
}
