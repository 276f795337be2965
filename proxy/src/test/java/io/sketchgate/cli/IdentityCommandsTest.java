package io.sketchgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.config.ConfigLoader;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.http.Identity;
import io.sketchgate.identity.IdentityResolver;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdentityCommandsTest {
    private static final String CONFIG = "src/test/resources/config/good-identity.yml";
    private static final Map<String, String> ENV = Map.of("SKETCHGATE_SECRET", "0123456789abcdef0123456789abcdef");

    record Run(int exitCode, String out, String err) {}

    private static Run run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.execute(
                args,
                new PrintWriter(out),
                new PrintWriter(err),
                new ConfigLoader(ENV),
                stop -> {
                    throw new AssertionError("no command here waits for a signal");
                },
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void hashPassword_printsABcryptHashOfStdinsFirstLine_thatVerifies() {
        Run run = run("correct horse battery staple\n", "hash-password", "--cost", "10");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        String hash = run.out().strip();
        assertThat(hash).matches("\\$2a\\$10\\$[./A-Za-z0-9]{53}");
        assertThat(BCrypt.verifyer().verify("correct horse battery staple".toCharArray(), hash).verified)
                .isTrue();
        assertThat(BCrypt.verifyer().verify("wrong".toCharArray(), hash).verified)
                .isFalse();
    }

    @Test
    void hashPassword_defaultsToCost12() {
        Run run = run("pw\n", "hash-password");

        assertThat(run.out()).startsWith("$2a$12$");
    }

    @Test
    void hashPassword_refusesAnEmptyOrTooLongPassword() {
        assertThat(run("\n", "hash-password").err()).isEqualTo("The password is empty.\n");
        Run tooLong = run("x".repeat(73) + "\n", "hash-password");
        assertThat(tooLong.exitCode()).isEqualTo(1);
        assertThat(tooLong.err()).startsWith("The password is longer than 72 bytes");
    }

    @Test
    void signHeader_printsFourHeaders_thatTheResolverAccepts() throws Exception {
        Run run =
                run("", "sign-header", "--config", CONFIG, "--user", "alice", "--roles", "analyst,ops", "--ttl", "5m");

        assertThat(run.exitCode()).isZero();
        String[] lines = run.out().split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).isEqualTo("X-Sketchgate-User: alice");
        assertThat(lines[1]).isEqualTo("X-Sketchgate-Roles: analyst,ops");
        assertThat(lines[2]).matches("X-Sketchgate-Expires: \\d{10}");
        assertThat(lines[3]).matches("X-Sketchgate-Signature: [0-9a-f]{64}");

        HttpHeaders headers = new DefaultHttpHeaders();
        for (String line : lines) {
            int colon = line.indexOf(": ");
            headers.add(line.substring(0, colon), line.substring(colon + 2));
        }
        SketchgateConfig config = new ConfigLoader(ENV).load(Path.of(CONFIG));
        IdentityResolver resolver =
                IdentityResolver.create(config.identity(), config.users(), null, Runnable::run, Clock.systemUTC());
        Identity identity = resolver.resolve(headers).get(10, TimeUnit.SECONDS);
        assertThat(identity)
                .isEqualTo(new Identity("alice", Set.of("analyst", "ops"), Identity.Source.SIGNED_HEADER, false));
    }

    @Test
    void signHeader_refusesATtlLongerThanMaxAge() {
        Run run = run("", "sign-header", "--config", CONFIG, "--user", "alice", "--ttl", "10m");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .isEqualTo("--ttl must be more than 0s and at most identity.signed_header.max_age (5m), was \"10m\"\n");
    }

    @Test
    void signHeader_withoutASignedHeaderSection_saysSo() {
        Run run = run("", "sign-header", "--config", "src/test/resources/config/good-minimal.yml", "--user", "alice");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .isEqualTo("src/test/resources/config/good-minimal.yml has no identity.signed_header section"
                        + " with a secret to sign with.\n");
    }
}
