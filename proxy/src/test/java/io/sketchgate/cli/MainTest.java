package io.sketchgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private static final String GOOD = "src/test/resources/config/good-minimal.yml";

    @TempDir
    Path temp;

    record Run(int exitCode, String out, String err) {}

    private static Run run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode =
                Main.execute(args, new PrintWriter(out), new PrintWriter(err), new ConfigLoader(environment), stop -> {
                    throw new AssertionError("run must not get as far as waiting in these tests");
                });
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static Run run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void version_printsNameAndProjectVersion() {
        Run run = run("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).matches("sketchgate \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
    }

    @Test
    void help_listsTheSubcommands() {
        Run run = run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Usage: sketchgate [-hV] [COMMAND]")
                .containsPattern("\\n  run +Run the proxy")
                .containsPattern("\\n  check-config +Validate the configuration file")
                .containsPattern("\\n  demo +Start Elasticsearch");
    }

    @Test
    void noCommand_isAUsageErrorWithExit2() {
        Run run = run();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("Missing required subcommand").contains("Usage: sketchgate");
    }

    @Test
    void unknownOption_isAUsageErrorWithExit2() {
        Run run = run("check-config", "--confg", GOOD);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("Unknown options: '--confg'");
    }

    @Test
    void checkConfig_onAGoodFile_printsResolvedYamlAndOk() {
        Run run = run("check-config", "--config", GOOD);

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualToNormalizingNewlines("""
                # src/test/resources/config/good-minimal.yml, with defaults filled in and secrets masked
                listeners:
                  elasticsearch:
                    host: 127.0.0.1
                    port: 9201
                  transport: auto
                  event_loops: 0
                  warmup: 'on'
                elasticsearch:
                  hosts:
                    - http://127.0.0.1:9200
                  health_check_interval: 5s
                limits:
                  max_body: 10mb
                  connect_timeout: 5s
                  response_timeout: 2m
                  shutdown_grace: 30s
                  max_header_size: 16kb
                  max_initial_line: 8kb
                  idle_timeout: 5m
                  header_timeout: 30s
                  max_connections: 10000
                access_log:
                  enabled: true
                  path: logs/access.jsonl
                OK
                """);
    }

    @Test
    void checkConfig_masksSecretsFromTheEnvironment() {
        Run run = run(
                Map.of("ES_USER", "sketchgate", "ES_PASSWORD", "hunter2"),
                "check-config",
                "-c",
                "../config/sketchgate.yml");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("  username: sketchgate\n  password: '******'\n")
                .doesNotContain("hunter2")
                .endsWith("OK\n");
    }

    @Test
    void checkConfig_onABadFile_printsEveryProblemAndExits1() {
        Run run = run("check-config", "--config", "src/test/resources/config/bad-size.yml");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualToNormalizingNewlines("""
                src/test/resources/config/bad-size.yml:7: limits.max_body: must be a size like 10mb (units: b, kb, mb, gb), was "10 megs"
                src/test/resources/config/bad-size.yml:8: limits.max_header_size: needs a unit, like 10mb or 16384b (units: b, kb, mb, gb), was "16384"
                src/test/resources/config/bad-size.yml:9: limits.max_initial_line: must be at most 1mb, was "2mb"
                """);
    }

    @Test
    void checkConfig_onAMissingFile_saysSoAndExits1() {
        Path missing = temp.resolve("missing.yml");

        Run run = run("check-config", "--config", missing.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualToNormalizingNewlines(missing + ": no such file\n");
    }

    @Test
    void run_withABadConfig_printsEveryProblemWithoutAStackTraceAndExits1() throws IOException {
        Path file = Files.writeString(temp.resolve("sketchgate.yml"), """
                elasticsearch:
                  hosts: ["http://127.0.0.1:9200"]
                  password: ${ES_PASSWORD}
                limits: { idle_timeout: forever }
                """);

        Run run = run("run", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualToNormalizingNewlines(file
                        + ":3: elasticsearch.password: environment variable ES_PASSWORD is not set;"
                        + " set it or give a default with ${ES_PASSWORD:-default}\n"
                        + file
                        + ":3: elasticsearch.password: is set but elasticsearch.username is not; set both or neither\n"
                        + file + ":4: limits.idle_timeout: must be a duration like 5s or 500ms (units: ms, s, m, h, d),"
                        + " was \"forever\"\n");
    }

    @Test
    void run_onABusyPort_saysWhichPortAndWhichKeyMovesIt_inOneLine() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path file = Files.writeString(temp.resolve("sketchgate.yml"), """
                    listeners:
                      elasticsearch: { host: 127.0.0.1, port: %d }
                    elasticsearch:
                      hosts: ["http://127.0.0.1:9200"]
                    access_log: { enabled: false }
                    """.formatted(taken.getLocalPort()));

            Run run = run("run", "--config", file.toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).isEmpty();
            assertThat(run.err())
                    .matches("Port " + taken.getLocalPort() + " on 127.0.0.1 is not available \\([^\\n]+\\); stop"
                            + " what holds it or set another listeners.elasticsearch.port in "
                            + java.util.regex.Pattern.quote(file.toString()) + "\\.\\R")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void run_help_documentsTheConfigOptionAndItsDefault() {
        Run run = run("run", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("-c, --config=FILE").contains("(default: config/sketchgate.yml)");
    }
}
