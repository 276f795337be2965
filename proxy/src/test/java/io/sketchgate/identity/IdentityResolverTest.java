package io.sketchgate.identity;

import static io.sketchgate.identity.SignedHeaderSourceTest.SECRET;
import static io.sketchgate.identity.SignedHeaderSourceTest.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.config.DecisionHeaderAudience;
import io.sketchgate.config.EsIdentityConfig;
import io.sketchgate.config.IdentityConfig;
import io.sketchgate.config.IdentitySource;
import io.sketchgate.config.KibanaInternalConfig;
import io.sketchgate.config.LimitSettings;
import io.sketchgate.config.Secret;
import io.sketchgate.config.SignedHeaderConfig;
import io.sketchgate.config.UserConfig;
import io.sketchgate.config.UsersConfig;
import io.sketchgate.http.ErrorResponses;
import io.sketchgate.http.Identity;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The resolver without Elasticsearch: signed headers, static users, order, anonymous, 401. */
class IdentityResolverTest {
    private static final Instant NOW = Instant.parse("2026-09-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final ExecutorService BCRYPT = Executors.newFixedThreadPool(2);
    private static final UsersConfig USERS = new UsersConfig(Map.of(
            "alice", user("wonderland", List.of("analyst")),
            "kibana_system", user("kibana-pass", List.of("superuser")),
            "carol", new UserConfig(Optional.empty(), List.of("ops"), LimitSettings.NONE)));

    private final AtomicLong nanos = new AtomicLong();

    @AfterAll
    static void stopExecutor() {
        BCRYPT.shutdownNow();
    }

    private static UserConfig user(String password, List<String> roles) {
        String hash = BCrypt.withDefaults().hashToString(4, password.toCharArray());
        return new UserConfig(Optional.of(new Secret(hash)), roles, LimitSettings.NONE);
    }

    private static IdentityConfig identity(List<IdentitySource> sources, Optional<String> anonymousRole) {
        return new IdentityConfig(
                true,
                sources,
                anonymousRole,
                EsIdentityConfig.DEFAULT,
                Optional.of(new SignedHeaderConfig(SECRET, Duration.ofMinutes(5))),
                Duration.ofMinutes(1),
                KibanaInternalConfig.DEFAULT,
                DecisionHeaderAudience.ADMINS,
                Optional.empty());
    }

    private IdentityResolver resolver(List<IdentitySource> sources, Optional<String> anonymousRole) {
        return IdentityResolver.create(identity(sources, anonymousRole), USERS, null, BCRYPT, CLOCK, nanos::get);
    }

    private static HttpHeaders basic(String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return headers(Map.of("Authorization", "Basic " + token));
    }

    private static Identity resolved(CompletableFuture<Identity> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static IdentityException failure(CompletableFuture<Identity> future) {
        Throwable e = catchThrowable(() -> future.get(10, TimeUnit.SECONDS));
        assertThat(e).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IdentityException.class);
        return (IdentityException) e.getCause();
    }

    @Test
    void identityOff_everyRequestIsAnonymousWithRoleDefault() throws Exception {
        Identity identity = resolved(IdentityResolver.off().resolve(basic("alice", "anything")));

        assertThat(identity).isEqualTo(new Identity("anonymous", Set.of("default"), Identity.Source.ANONYMOUS, false));
    }

    @Test
    void static_rightPassword_yieldsTheUsersRoles() throws Exception {
        Identity identity = resolved(
                resolver(List.of(IdentitySource.STATIC), Optional.empty()).resolve(basic("alice", "wonderland")));

        assertThat(identity).isEqualTo(new Identity("alice", Set.of("analyst"), Identity.Source.STATIC, false));
    }

    @Test
    void static_wrongPassword_is401_evenWithAnonymousRole() {
        IdentityException e = failure(
                resolver(List.of(IdentitySource.STATIC), Optional.of("viewer")).resolve(basic("alice", "wrong")));

        assertThat(e.status().code()).isEqualTo(401);
        assertThat(e.type()).isEqualTo("security_exception");
        assertThat(e.reason())
                .isEqualTo("Unable to authenticate user [alice]: the user name or the password is wrong."
                        + " Send Basic credentials of a user in Sketchgate's users section.");
    }

    @Test
    void static_unknownUser_andWrongPassword_getTheSameAnswer_soUserNamesCannotBeProbed() {
        IdentityResolver resolver = resolver(List.of(IdentitySource.STATIC), Optional.empty());

        String unknown = failure(resolver.resolve(basic("alicf", "wrong"))).reason();
        String wrongPassword =
                failure(resolver.resolve(basic("alice", "wrong"))).reason();
        assertThat(unknown.replace("alicf", "alice")).isEqualTo(wrongPassword);
        assertThat(unknown)
                .isEqualTo("Unable to authenticate user [alicf]: the user name or the password is wrong."
                        + " Send Basic credentials of a user in Sketchgate's users section.");
    }

    @Test
    void static_unknownUser_andUserWithoutHash_are401() {
        IdentityResolver resolver = resolver(List.of(IdentitySource.STATIC), Optional.of("viewer"));

        assertThat(failure(resolver.resolve(basic("mallory", "x"))).reason())
                .startsWith("Unable to authenticate user [mallory]: the user name or the password is wrong.");
        assertThat(failure(resolver.resolve(basic("carol", ""))).status().code())
                .isEqualTo(401);
    }

    @Test
    void static_cachesVerdictsUnderAHashOfTheCredential_neverTheCredential() throws Exception {
        IdentityResolver resolver = resolver(List.of(IdentitySource.STATIC), Optional.empty());
        StaticSource source = (StaticSource) sources(resolver).get(0);

        resolved(resolver.resolve(basic("alice", "wonderland")));
        failure(resolver.resolve(basic("alice", "wrong")));

        assertThat(source.cacheKeys())
                .hasSize(2)
                .allSatisfy(key -> {
                    assertThat(key)
                            .matches("[0-9a-f]{64}")
                            .doesNotContain("alice")
                            .doesNotContain("wonderland");
                })
                .contains(CredentialHash.of("alice:wonderland"));
    }

    @Test
    void static_failedVerdict_expiresAfterFiveSeconds_successAfterCacheTtl() throws Exception {
        IdentityResolver resolver = resolver(List.of(IdentitySource.STATIC), Optional.empty());
        StaticSource source = (StaticSource) sources(resolver).get(0);
        resolved(resolver.resolve(basic("alice", "wonderland")));
        failure(resolver.resolve(basic("alice", "wrong")));
        // Caffeine sets an async entry's expiry in its own completion callback, which may run just after ours.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (source.cacheKeys().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(100);

        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        assertThat(source.cacheKeys()).containsExactly(CredentialHash.of("alice:wonderland"));
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(source.cacheKeys()).isEmpty();
    }

    @Test
    void signedHeader_beforeStatic_winsWhenBothPresent() throws Exception {
        HttpHeaders headers = basic("alice", "wonderland");
        HeaderSignature.headers(SECRET, "bob", List.of("ops"), NOW.plusSeconds(60))
                .forEach(headers::add);

        Identity first =
                resolved(resolver(List.of(IdentitySource.SIGNED_HEADER, IdentitySource.STATIC), Optional.empty())
                        .resolve(headers));
        Identity second =
                resolved(resolver(List.of(IdentitySource.STATIC, IdentitySource.SIGNED_HEADER), Optional.empty())
                        .resolve(headers));

        assertThat(first).isEqualTo(new Identity("bob", Set.of("ops"), Identity.Source.SIGNED_HEADER, false));
        assertThat(second).isEqualTo(new Identity("alice", Set.of("analyst"), Identity.Source.STATIC, false));
    }

    @Test
    void invalidSignedHeader_fallsThroughToTheNextSource_neverGrantsItsUser() throws Exception {
        HttpHeaders headers = basic("alice", "wonderland");
        HeaderSignature.headers(SECRET, "bob", List.of("ops"), NOW.minusSeconds(1))
                .forEach(headers::add);

        Identity identity =
                resolved(resolver(List.of(IdentitySource.SIGNED_HEADER, IdentitySource.STATIC), Optional.empty())
                        .resolve(headers));

        assertThat(identity.user()).isEqualTo("alice");
    }

    @Test
    void invalidSignedHeaderAlone_isAnonymousWhenConfigured_else401() throws Exception {
        HttpHeaders forged = headers(HeaderSignature.headers(
                new Secret("x".repeat(32)), "admin", List.of("sketchgate_admin"), NOW.plusSeconds(60)));

        assertThat(resolved(resolver(List.of(IdentitySource.SIGNED_HEADER), Optional.of("viewer"))
                        .resolve(forged)))
                .isEqualTo(Identity.anonymous("viewer"));
        assertThat(failure(resolver(List.of(IdentitySource.SIGNED_HEADER), Optional.empty())
                                .resolve(forged))
                        .reason())
                .isEqualTo("Authentication required: the request has no credentials."
                        + " Send X-Sketchgate-User headers signed by the login proxy.");
    }

    @Test
    void noCredentials_withoutAnonymousRole_is401InElasticsearchShapeWithWwwAuthenticate() throws Exception {
        IdentityException e =
                failure(resolver(List.of(IdentitySource.SIGNED_HEADER, IdentitySource.STATIC), Optional.empty())
                        .resolve(headers(Map.of())));

        assertThat(e.wwwAuthenticate()).isEqualTo("Basic realm=\"sketchgate\", ApiKey");
        FullHttpResponse response = ErrorResponses.of(ByteBufAllocator.DEFAULT, e);
        try {
            assertThat(response.status().code()).isEqualTo(401);
            JsonNode body = new ObjectMapper().readTree(response.content().toString(StandardCharsets.UTF_8));
            assertThat(body.path("status").asInt()).isEqualTo(401);
            assertThat(body.path("error").path("type").asText()).isEqualTo("security_exception");
            assertThat(body.path("error").path("reason").asText())
                    .isEqualTo("Authentication required: the request has"
                            + " no credentials. Send Basic credentials of a user in Sketchgate's users section, or X-Sketchgate-User"
                            + " headers signed by the login proxy.");
            assertThat(body.path("error").has("caused_by")).isFalse();
        } finally {
            response.release();
        }
    }

    @Test
    void noCredentials_withAnonymousRole_isAnonymous() throws Exception {
        assertThat(resolved(resolver(List.of(IdentitySource.STATIC), Optional.of("viewer"))
                        .resolve(headers(Map.of()))))
                .isEqualTo(new Identity("anonymous", Set.of("viewer"), Identity.Source.ANONYMOUS, false));
    }

    @Test
    void kibanaInternalUser_fromStatic_getsTheInternalRole() throws Exception {
        Identity identity = resolved(resolver(List.of(IdentitySource.STATIC), Optional.empty())
                .resolve(basic("kibana_system", "kibana-pass")));

        assertThat(identity)
                .isEqualTo(new Identity("kibana_system", Set.of("kibana_internal"), Identity.Source.STATIC, true));
    }

    @Test
    void kibanaInternalUser_fromSignedHeader_isNotInternal() throws Exception {
        HttpHeaders headers =
                headers(HeaderSignature.headers(SECRET, "kibana_system", List.of("analyst"), NOW.plusSeconds(60)));

        Identity identity = resolved(resolver(List.of(IdentitySource.SIGNED_HEADER), Optional.empty())
                .resolve(headers));

        assertThat(identity)
                .isEqualTo(new Identity("kibana_system", Set.of("analyst"), Identity.Source.SIGNED_HEADER, false));
    }

    @Test
    void staticVerification_runsOnTheBcryptExecutor_onceWhileCached() throws Exception {
        AtomicLong bcryptRuns = new AtomicLong();
        IdentityResolver resolver = IdentityResolver.create(
                identity(List.of(IdentitySource.STATIC), Optional.empty()),
                USERS,
                null,
                command -> {
                    bcryptRuns.incrementAndGet();
                    BCRYPT.execute(command);
                },
                CLOCK,
                nanos::get);

        for (int i = 0; i < 5; i++) {
            assertThat(resolved(resolver.resolve(basic("alice", "wonderland"))).user())
                    .isEqualTo("alice");
        }

        assertThat(bcryptRuns.get()).isEqualTo(1);
    }

    static List<Source> sources(IdentityResolver resolver) throws ReflectiveOperationException {
        var field = IdentityResolver.class.getDeclaredField("sources");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        List<Source> sources = (List<Source>) field.get(resolver);
        return sources;
    }
}
