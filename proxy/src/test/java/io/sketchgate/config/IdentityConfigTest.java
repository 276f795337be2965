package io.sketchgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.testing.Limits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityConfigTest {
    private static final Path DIRECTORY = Path.of("src/test/resources/config");
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void issueExample_loadsAsWritten() throws ConfigException {
        SketchgateConfig config =
                new ConfigLoader(Map.of("SKETCHGATE_SECRET", SECRET)).load(DIRECTORY.resolve("good-identity.yml"));

        IdentityConfig identity = config.identity();
        assertThat(identity.enabled()).isTrue();
        assertThat(identity.sources())
                .containsExactly(IdentitySource.SIGNED_HEADER, IdentitySource.ELASTICSEARCH, IdentitySource.STATIC);
        assertThat(identity.anonymousRole()).contains("viewer");
        assertThat(identity.elasticsearch())
                .isEqualTo(new EsIdentityConfig(
                        Duration.ofMinutes(5),
                        Duration.ofSeconds(5),
                        Optional.of(Map.of("superuser", List.of("sketchgate_admin"), "*", List.of("analyst")))));
        assertThat(identity.signedHeader()).contains(new SignedHeaderConfig(new Secret(SECRET), Duration.ofMinutes(5)));
        assertThat(identity.kibanaInternal())
                .isEqualTo(new KibanaInternalConfig(List.of("kibana_system"), "kibana_internal"));
        assertThat(identity.staticCacheTtl()).isEqualTo(Duration.ofMinutes(1));

        UserConfig alice = config.users().user("alice").orElseThrow();
        assertThat(alice.passwordHash())
                .contains(new Secret("$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"));
        assertThat(alice.roles()).containsExactly("analyst");
        assertThat(alice.overrides()).isEqualTo(Limits.only(Map.of(LimitKey.MAX_TIME_RANGE, Duration.ofDays(90))));
        UserConfig bob = config.users().user("bob").orElseThrow();
        assertThat(bob.passwordHash()).isEmpty();
        assertThat(bob.overrides()).isEqualTo(Limits.everyKey(OnExceed.CLAMP));
    }

    @Test
    void withoutIdentitySection_identityIsOff_andUsersEmpty() throws ConfigException {
        SketchgateConfig config = new ConfigLoader(Map.of()).load(DIRECTORY.resolve("good-minimal.yml"));

        assertThat(config.identity()).isEqualTo(IdentityConfig.OFF);
        assertThat(config.identity().enabled()).isFalse();
        assertThat(config.identity().anonymousRole()).contains("default");
        assertThat(config.users()).isEqualTo(UsersConfig.NONE);
    }

    @Test
    void printedConfig_masksSecretAndHashes_andLoadsBackTheSameSources() throws ConfigException {
        SketchgateConfig config =
                new ConfigLoader(Map.of("SKETCHGATE_SECRET", SECRET)).load(DIRECTORY.resolve("good-identity.yml"));

        String yaml = ConfigPrinter.toYaml(config);

        assertThat(yaml)
                .doesNotContain(SECRET)
                .doesNotContain("R9h/cIPz0gi")
                .contains("  sources:\n    - signed_header\n    - elasticsearch\n    - static\n")
                .contains("    secret: '******'\n")
                .contains("    password_hash: '******'\n")
                .contains("      max_time_range: 90d\n");
    }
}
