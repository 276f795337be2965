package io.sketchgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.sketchgate.config.IdentitySource;
import io.sketchgate.config.KibanaRewriteMode;
import io.sketchgate.config.RoleConfig;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.config.UserConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo's options, configuration, banner parts and refusals that need no Elasticsearch; the full run is in {@link DemoExamplesTest}. */
class DemoCommandTest {
    private static final URI NODE = URI.create("http://127.0.0.1:45678");

    @Test
    void options_withoutArguments_haveTheDocumentedDefaults() {
        CommandLine.ParseResult parsed = new CommandLine(new DemoCommand()).parseArgs();

        assertThat(parsed.matchedOptionValue("--events", 0L)).isZero();
        CommandLine.Model.CommandSpec spec = parsed.commandSpec();
        assertThat((Long) spec.findOption("--events").getValue()).isEqualTo(1_000_000L);
        assertThat((Integer) spec.findOption("--days").getValue()).isEqualTo(30);
        assertThat((Integer) spec.findOption("--port").getValue()).isEqualTo(9201);
        assertThat((URI) spec.findOption("--kibana-upstream").getValue()).isNull();
        assertThat((String) spec.findOption("--password").getValue()).isNull();
        assertThat((Boolean) spec.findOption("--kibana").getValue()).isFalse();
    }

    @Test
    void config_putsTheListenersOnLoopback_inFrontOfTheEmbeddedNode() {
        SketchgateConfig config = demoConfig(Optional.of(URI.create("http://127.0.0.1:5601")));

        assertThat(config.listeners().elasticsearch().host()).isEqualTo("127.0.0.1");
        assertThat(config.listeners().elasticsearch().port()).isEqualTo(9201);
        assertThat(config.listeners().kibana()).hasValueSatisfying(kibana -> {
            assertThat(kibana.port()).isEqualTo(5602);
            assertThat(kibana.upstream()).isEqualTo(URI.create("http://127.0.0.1:5601"));
        });
        assertThat(config.elasticsearch().hosts()).containsExactly(NODE);
        assertThat(config.limits().shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.source()).hasToString("(sketchgate demo)");
    }

    @Test
    void config_hasAnAdminAndTwoAnalysts_ofTheStaticSource_withTheirPasswords() {
        DemoUsers users = DemoUsers.generate(Optional.empty(), new SecureRandom());
        SketchgateConfig config =
                DemoConfig.load(DemoConfig.yaml(List.of(NODE), 9201, Optional.empty(), 5602, "weblogs-*", users));

        assertThat(config.identity().enabled()).isTrue();
        assertThat(config.identity().sources()).containsExactly(IdentitySource.STATIC);
        assertThat(config.identity().anonymousRole())
                .as("no credentials, no access")
                .isEmpty();
        assertThat(config.users().users()).containsOnlyKeys("admin", "alice", "bob");
        assertThat(config.users().user("admin").orElseThrow().roles()).containsExactly("sketchgate_admin");
        assertThat(config.users().user("alice").orElseThrow().roles()).containsExactly("analyst");
        assertThat(config.users().user("bob").orElseThrow().roles()).containsExactly("analyst");
        for (DemoUsers.User user : users.all()) {
            UserConfig configured = config.users().user(user.name()).orElseThrow();
            String hash = configured.passwordHash().orElseThrow().value();
            assertThat(BCrypt.verifyer().verify(user.password().toCharArray(), hash).verified)
                    .as("the printed password of %s logs in", user.name())
                    .isTrue();
        }
    }

    @Test
    void config_analystRole_limitsTheSampleTo7Days_withARequestQuota() {
        SketchgateConfig config = demoConfig(Optional.empty());

        RoleConfig analyst = config.roles().role("analyst").orElseThrow();
        assertThat(analyst.indices()).hasToString("[weblogs-*]");
        assertThat(analyst.limits().maxTimeRange()).contains(Duration.ofDays(7));
        assertThat(analyst.limits().requestsPerMinute()).contains(60);
        assertThat(config.roles().role("sketchgate_admin")).isPresent();
        assertThat(config.indexTimeFields().fields()).isNotEmpty();
    }

    @Test
    void config_uniqueCount_answersKibanaFromTheSketches() {
        SketchgateConfig config = demoConfig(Optional.empty());

        UniqueCountDefinition definition = config.uniqueCounts().definitions().get(0);
        assertThat(definition.name()).isEqualTo("weblogs_uv");
        assertThat(definition.source()).isEqualTo("weblogs-*");
        assertThat(definition.dimensions()).containsExactly("country", "device");
        assertThat(definition.kibanaRewrite()).isEqualTo(KibanaRewriteMode.ON);
    }

    @Test
    void users_passwordOption_setsTheAdminsPassword_theAnalystsGetRandomOnes() {
        DemoUsers users = DemoUsers.generate(Optional.of("correct horse"), new SecureRandom());
        DemoUsers other = DemoUsers.generate(Optional.of("correct horse"), new SecureRandom());

        assertThat(users.admin().password()).isEqualTo("correct horse");
        assertThat(users.analyst().password())
                .matches("[A-Za-z0-9]{16}")
                .isNotEqualTo(other.analyst().password());
        assertThat(users.secondAnalyst().password())
                .matches("[A-Za-z0-9]{16}")
                .isNotEqualTo(users.analyst().password());
    }

    @Test
    void demo_onABusyPort_saysSoInOneLine_beforeStartingElasticsearch() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exitCode = new CommandLine(new DemoCommand())
                    .setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(err, true))
                    .execute("--port", String.valueOf(taken.getLocalPort()), "--es-dist", "/nonexistent");

            assertThat(exitCode).isEqualTo(1);
            assertThat(out.toString()).as("nothing started").isEmpty();
            assertThat(err.toString())
                    .matches("Port " + taken.getLocalPort() + " on 127.0.0.1 is not available \\([^\\n]+\\); stop"
                            + " what holds it or choose another with --port\\.\\R")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void demo_inAWorkDirAKilledRunLeftBehind_isRefusedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Path left = Files.createDirectories(dir.resolve("work").resolve("node-0"));
        Files.writeString(left.resolve("console.log"), "an earlier run's log");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = new CommandLine(new DemoCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute("--work-dir", dir.resolve("work").toString(), "--port", "0", "--es-dist", "/nonexistent");

        assertThat(exitCode).isEqualTo(1);
        assertThat(out.toString()).as("nothing started").isEmpty();
        assertThat(err.toString())
                .isEqualTo("--work-dir " + dir.resolve("work") + " is not empty (a demo run that was killed leaves its"
                        + " Elasticsearch data there): delete it or choose another directory.\n");
        assertThat(left.resolve("console.log")).as("nothing deleted").hasContent("an earlier run's log");
    }

    @Test
    void demo_withAPasswordBcryptWouldCut_isRefusedBeforeAnythingStarts() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = new CommandLine(new DemoCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute("--password", "x".repeat(73), "--port", "0", "--es-dist", "/nonexistent");

        assertThat(exitCode).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("--password must be 1 to 72 bytes long (bcrypt ignores the rest).\n");
    }

    @Test
    void demo_onABusyKibanaPort_namesTheKibanaPortOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();
            int exitCode = new CommandLine(new DemoCommand())
                    .setOut(new PrintWriter(new StringWriter(), true))
                    .setErr(new PrintWriter(err, true))
                    .execute(
                            "--port",
                            "0",
                            "--kibana-upstream",
                            "http://127.0.0.1:5601",
                            "--kibana-port",
                            String.valueOf(taken.getLocalPort()),
                            "--es-dist",
                            "/nonexistent");

            assertThat(exitCode).isEqualTo(1);
            assertThat(err.toString()).endsWith("choose another with --kibana-port.\n");
        }
    }

    @Test
    void kibanaLines_pointKibanaAtTheProxy_asTheAnalyst() {
        DemoUsers users = DemoUsers.generate(Optional.empty(), new SecureRandom());
        StringWriter out = new StringWriter();

        new DemoBanner(new InetSocketAddress("127.0.0.1", 9201), "weblogs-*", users, Instant.now())
                .printKibanaLines(new PrintWriter(out, true), "8.19.7");

        assertThat(out.toString())
                .contains("kibana.yml for a local Kibana 8.19.7")
                .contains("\n  elasticsearch.hosts: [\"http://127.0.0.1:9201\"]\n"
                        + "  elasticsearch.username: \"alice\"\n"
                        + "  elasticsearch.password: \"" + users.analyst().password() + "\"\n");
    }

    @Test
    void progress_whenNotATerminal_printsWholeLinesEachTenth_withoutCarriageReturns() {
        StringWriter out = new StringWriter();
        Progress progress = new Progress(new PrintWriter(out, true), false);

        for (long done = 0; done <= 1000; done += 50) {
            progress.report("Loading " + done, done, 1000);
        }
        progress.end();

        assertThat(out.toString()).doesNotContain("\r");
        assertThat(out.toString().lines()).hasSize(11).first().isEqualTo("Loading 0 (0%)");
        assertThat(out.toString().lines()).last().isEqualTo("Loading 1000 (100%)");
    }

    @Test
    void progress_onATerminal_redrawsOneLine() {
        StringWriter out = new StringWriter();
        Progress progress = new Progress(new PrintWriter(out, true), true);

        progress.report("Loading", 1, 2);
        progress.report("Loading", 2, 2);
        progress.end();

        assertThat(out.toString()).isEqualTo("\rLoading (50%)\rLoading (100%)" + System.lineSeparator());
    }

    private static SketchgateConfig demoConfig(Optional<URI> kibanaUpstream) {
        DemoUsers users = DemoUsers.generate(Optional.empty(), new SecureRandom());
        return DemoConfig.load(DemoConfig.yaml(List.of(NODE), 9201, kibanaUpstream, 5602, "weblogs-*", users));
    }
}
