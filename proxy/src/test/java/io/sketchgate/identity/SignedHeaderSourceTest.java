package io.sketchgate.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.config.Secret;
import io.sketchgate.config.SignedHeaderConfig;
import io.sketchgate.http.Identity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignedHeaderSourceTest {
    static final Secret SECRET = new Secret("0123456789abcdef0123456789abcdef");
    private static final Instant NOW = Instant.parse("2026-09-01T12:00:00Z");
    private final SignedHeaderSource source = new SignedHeaderSource(
            new SignedHeaderConfig(SECRET, Duration.ofMinutes(5)), Clock.fixed(NOW, ZoneOffset.UTC));

    static HttpHeaders headers(Map<String, String> values) {
        HttpHeaders headers = new DefaultHttpHeaders();
        values.forEach(headers::add);
        return headers;
    }

    private static Map<String, String> signed(String user, List<String> roles, Instant expires) {
        return HeaderSignature.headers(SECRET, user, roles, expires);
    }

    @Test
    void validSignature_yieldsUserAndRoles() {
        Attempt attempt = source.attempt(headers(signed("alice", List.of("analyst", "ops"), NOW.plusSeconds(60))));

        assertThat(attempt)
                .isEqualTo(new Attempt.Identified(
                        Identity.of("alice", List.of("analyst", "ops"), Identity.Source.SIGNED_HEADER)));
    }

    @Test
    void signature_isLowercaseHexHmacOfUserRolesExpires() {
        // HMAC-SHA256("0123456789abcdef0123456789abcdef", "alice\nanalyst,ops\n1788264060"), computed with openssl
        assertThat(HeaderSignature.sign(SECRET, "alice", "analyst,ops", "1788264060"))
                .isEqualTo("b9dbb0c357b06d3cecef1c07f851731a31b3cb85ba6635be95c14e887caab001");
    }

    @ParameterizedTest(name = "{0} changed to {1}")
    @CsvSource({
        "X-Sketchgate-User, mallory",
        "X-Sketchgate-Roles, 'analyst,ops,sketchgate_admin'",
        "X-Sketchgate-Roles, ''",
        "X-Sketchgate-Expires, 1788264100",
        "X-Sketchgate-Signature, 0000000000000000000000000000000000000000000000000000000000000000",
    })
    void tamperedHeader_isIgnored(String name, String value) {
        HttpHeaders headers = headers(signed("alice", List.of("analyst", "ops"), NOW.plusSeconds(60)));
        headers.set(name, value);

        assertThat(source.attempt(headers)).isEqualTo(Attempt.NOT_MINE);
    }

    @Test
    void signatureInUpperCase_isIgnored() {
        HttpHeaders headers = headers(signed("alice", List.of("analyst"), NOW.plusSeconds(60)));
        headers.set(
                IdentityHeaders.SIGNATURE,
                headers.get(IdentityHeaders.SIGNATURE).toUpperCase());

        assertThat(source.attempt(headers)).isEqualTo(Attempt.NOT_MINE);
    }

    @Test
    void wrongSecret_isIgnored() {
        Map<String, String> forged = HeaderSignature.headers(
                new Secret("another-secret-of-at-least-32-bytes!"), "alice", List.of("analyst"), NOW.plusSeconds(60));

        assertThat(source.attempt(headers(forged))).isEqualTo(Attempt.NOT_MINE);
    }

    @Test
    void expired_isIgnored() {
        assertThat(source.attempt(headers(signed("alice", List.of("analyst"), NOW.minusSeconds(1)))))
                .isEqualTo(Attempt.NOT_MINE);
        assertThat(source.attempt(headers(signed("alice", List.of("analyst"), NOW))))
                .isEqualTo(Attempt.NOT_MINE);
    }

    @Test
    void expiryFurtherAheadThanMaxAge_isIgnored() {
        assertThat(source.attempt(headers(signed(
                        "alice",
                        List.of("analyst"),
                        NOW.plus(Duration.ofMinutes(5)).plusSeconds(1)))))
                .isEqualTo(Attempt.NOT_MINE);
        assertThat(source.attempt(headers(signed("alice", List.of("analyst"), NOW.plus(Duration.ofMinutes(5))))))
                .isInstanceOf(Attempt.Identified.class);
    }

    @Test
    void missingOrRepeatedHeader_isIgnored() {
        HttpHeaders missing = headers(signed("alice", List.of("analyst"), NOW.plusSeconds(60)));
        missing.remove(IdentityHeaders.SIGNATURE);
        HttpHeaders repeated = headers(signed("alice", List.of("analyst"), NOW.plusSeconds(60)));
        repeated.add(IdentityHeaders.USER, "mallory");

        assertThat(source.attempt(missing)).isEqualTo(Attempt.NOT_MINE);
        assertThat(source.attempt(repeated)).isEqualTo(Attempt.NOT_MINE);
    }

    @Test
    void noIdentityHeaders_isNotThisSources() {
        assertThat(source.attempt(headers(Map.of("Authorization", "Basic YWxpY2U6eA=="))))
                .isEqualTo(Attempt.NOT_MINE);
    }

    @Test
    void headerNames_matchInAnyCase_andStripRemovesThemAll() {
        Map<String, String> signed = signed("alice", List.of("analyst"), NOW.plusSeconds(60));
        HttpHeaders lower = new DefaultHttpHeaders();
        signed.forEach((name, value) -> lower.add(name.toLowerCase(), value));
        lower.add("Content-Type", "application/json");

        assertThat(source.attempt(lower)).isInstanceOf(Attempt.Identified.class);
        IdentityHeaders.strip(lower);
        assertThat(lower.names()).containsExactly("Content-Type");
    }

    // Headers that passed are remembered (SignedHeaderSource#verified): the same four values again must still meet
    // every check that can change, and any other value must be verified in full.

    @Test
    void rememberedHeaders_areIgnoredOnceTheyExpire() {
        MovableClock clock = new MovableClock(NOW);
        SignedHeaderSource remembering =
                new SignedHeaderSource(new SignedHeaderConfig(SECRET, Duration.ofMinutes(5)), clock);
        HttpHeaders alice = headers(signed("alice", List.of("analyst"), NOW.plusSeconds(60)));
        assertThat(remembering.attempt(alice)).isInstanceOf(Attempt.Identified.class);

        clock.now = NOW.plusSeconds(59);
        assertThat(remembering.attempt(alice)).isInstanceOf(Attempt.Identified.class);
        clock.now = NOW.plusSeconds(60);
        assertThat(remembering.attempt(alice)).isEqualTo(Attempt.NOT_MINE);
    }

    @Test
    void rememberedHeaders_areIgnoredWhenTheClockGoesBackBeyondMaxAge() {
        MovableClock clock = new MovableClock(NOW);
        SignedHeaderSource remembering =
                new SignedHeaderSource(new SignedHeaderConfig(SECRET, Duration.ofMinutes(5)), clock);
        HttpHeaders alice = headers(signed("alice", List.of("analyst"), NOW.plusSeconds(60)));
        assertThat(remembering.attempt(alice)).isInstanceOf(Attempt.Identified.class);

        clock.now = NOW.minus(Duration.ofMinutes(5));
        assertThat(remembering.attempt(alice)).isEqualTo(Attempt.NOT_MINE);
    }

    @ParameterizedTest(name = "{0} changed to {1} after a success")
    @CsvSource({
        "X-Sketchgate-User, mallory",
        "X-Sketchgate-Roles, 'analyst,ops,sketchgate_admin'",
        "X-Sketchgate-Expires, 1788264100",
        "X-Sketchgate-Signature, 0000000000000000000000000000000000000000000000000000000000000000",
    })
    void tamperedHeader_afterTheSameHeadersPassed_isIgnored(String name, String value) {
        Map<String, String> good = signed("alice", List.of("analyst", "ops"), NOW.plusSeconds(60));
        assertThat(source.attempt(headers(good))).isInstanceOf(Attempt.Identified.class);
        HttpHeaders tampered = headers(good);
        tampered.set(name, value);

        assertThat(source.attempt(tampered)).isEqualTo(Attempt.NOT_MINE);
        assertThat(source.attempt(headers(good))).isInstanceOf(Attempt.Identified.class);
    }

    @Test
    void rememberedHeaders_repeatedOrIncomplete_areIgnored() {
        Map<String, String> good = signed("alice", List.of("analyst"), NOW.plusSeconds(60));
        assertThat(source.attempt(headers(good))).isInstanceOf(Attempt.Identified.class);
        HttpHeaders repeated = headers(good);
        repeated.add(IdentityHeaders.USER, "mallory");
        HttpHeaders missing = headers(good);
        missing.remove(IdentityHeaders.SIGNATURE);

        assertThat(source.attempt(repeated)).isEqualTo(Attempt.NOT_MINE);
        assertThat(source.attempt(missing)).isEqualTo(Attempt.NOT_MINE);
    }

    @Test
    void failedHeaders_areNotRemembered() {
        MovableClock clock = new MovableClock(NOW);
        SignedHeaderSource remembering =
                new SignedHeaderSource(new SignedHeaderConfig(SECRET, Duration.ofMinutes(5)), clock);
        HttpHeaders early = headers(signed("alice", List.of("analyst"), NOW.plus(Duration.ofMinutes(6))));
        assertThat(remembering.attempt(early)).isEqualTo(Attempt.NOT_MINE); // further ahead than max_age

        clock.now = NOW.plus(Duration.ofMinutes(1));
        assertThat(remembering.attempt(early)).isInstanceOf(Attempt.Identified.class);
    }

    @Test
    void rememberedHeaders_areBounded() {
        for (int i = 0; i < SignedHeaderSource.VERIFIED_ENTRIES + 100; i++) {
            assertThat(source.attempt(headers(signed("user" + i, List.of("analyst"), NOW.plusSeconds(60)))))
                    .isInstanceOf(Attempt.Identified.class);
        }

        assertThat(source.remembered()).isLessThanOrEqualTo(SignedHeaderSource.VERIFIED_ENTRIES);
    }

    @Test
    void headersReadInOnePass_keepTheFirstValueOfEachName_inAnyCase() {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("x-sketchgate-user", "alice");
        headers.add("Accept", "application/json");
        headers.add("X-SKETCHGATE-USER", "mallory");
        headers.add("X-Sketchgate-Expires", "1788264100");

        SentIdentityHeaders sent = SentIdentityHeaders.read(headers);

        assertThat(sent.none()).isFalse();
        assertThat(sent.first(IdentityHeaders.USER, null)).isEqualTo("alice");
        assertThat(sent.first(IdentityHeaders.ROLES, "")).isEmpty();
        assertThat(sent.countProblem()).contains("X-Sketchgate-User is sent 2 times");
        assertThat(SentIdentityHeaders.read(headers(Map.of("X-Sketchgate-Roles", "analyst")))
                        .none())
                .isTrue();
    }

    private static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
