package io.sketchgate.identity;

import com.github.benmanes.caffeine.cache.Cache;
import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.caches.Caches;
import io.sketchgate.config.SignedHeaderConfig;
import io.sketchgate.http.Identity;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code signed_header} source: {@code X-Sketchgate-User}, {@code -Roles}, {@code -Expires} and
 * {@code -Signature} as set by a login proxy that shares the secret (see {@link HeaderSignature}).
 *
 * <p>Headers that fail any check (missing or repeated header, bad signature, expired, expiring further ahead than
 * {@code max_age}) are ignored as if absent and logged at WARN without the signature; they never yield an identity.
 * Synchronous: an HMAC costs about a microsecond.
 *
 * <p>A browser sends the same four headers with every request until they expire, so headers that passed are
 * remembered ({@link #verified}, bounded) with their parsed identity: a request carrying exactly the same four values
 * skips the HMAC, the parsing and the role split, but still gets the header-count checks and both expiry checks
 * against the clock. The key is all four values, signature included, so a changed value (a forged signature, other
 * roles, a later expiry) is a miss and verified in full; failures are never remembered. Each source instance (one
 * per loaded config, hence per secret) has its own cache.
 */
final class SignedHeaderSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(SignedHeaderSource.class);
    private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d{1,12}");
    /** Distinct live header sets remembered: one per signed-in browser session, roughly. */
    static final long VERIFIED_ENTRIES = 10_000;

    private final SignedHeaderConfig config;
    private final Clock clock;
    private final HeaderSignature.Verifier verifier;
    private final Cache<Signed, Verified> verified;

    SignedHeaderSource(SignedHeaderConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.verifier = new HeaderSignature.Verifier(config.secret());
        // headers that passed expire within max_age of the check: nothing outlives that
        this.verified = Caches.newBuilder()
                .maximumSize(VERIFIED_ENTRIES)
                .expireAfterWrite(config.maxAge())
                .build();
    }

    /** The four header values exactly as sent. */
    private record Signed(String user, String roles, String expires, String signature) {}

    /** What a full check of {@link Signed} found apart from the clock: the identity and the expiry in epoch seconds. */
    private record Verified(Attempt.Identified attempt, long expiresAt) {}

    @Override
    public Attempt attempt(HttpHeaders headers) {
        SentIdentityHeaders sent = SentIdentityHeaders.read(headers);
        if (sent.none()) {
            return Attempt.NOT_MINE;
        }
        Optional<String> problem = sent.countProblem();
        Signed signed = null;
        if (problem.isEmpty()) {
            signed = new Signed(
                    sent.first(IdentityHeaders.USER, null),
                    sent.first(IdentityHeaders.ROLES, ""),
                    sent.first(IdentityHeaders.EXPIRES, null),
                    sent.first(IdentityHeaders.SIGNATURE, null));
            Verified known = verified.getIfPresent(signed);
            if (known != null) {
                problem = timeProblem(known.expiresAt());
                if (problem.isEmpty()) {
                    return known.attempt();
                }
            } else {
                problem = problem(signed);
            }
        }
        if (problem.isPresent()) {
            String user = sent.first(IdentityHeaders.USER, null);
            LOG.warn(
                    "Ignoring {} headers for user [{}]: {}",
                    "X-Sketchgate-*",
                    user == null ? "(none)" : LogText.safe(user),
                    problem.get());
            return Attempt.NOT_MINE;
        }
        List<String> roleList = Arrays.stream(signed.roles().split(","))
                .map(String::strip)
                .filter(r -> !r.isEmpty())
                .toList();
        Identity identity = Identity.of(signed.user(), roleList, Identity.Source.SIGNED_HEADER);
        Verified passed = new Verified(new Attempt.Identified(identity), Long.parseLong(signed.expires()));
        verified.put(signed, passed);
        return passed.attempt();
    }

    /** How many header sets are remembered now, after pending evictions. */
    long remembered() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    /** Every check after the header counts, in order; the first that fails. */
    private Optional<String> problem(Signed signed) {
        String user = signed.user();
        if (user.isEmpty() || user.chars().anyMatch(Character::isISOControl)) {
            return Optional.of(IdentityHeaders.USER + " is empty or has control characters");
        }
        String expires = signed.expires();
        if (!verifier.matches(user, signed.roles(), expires, signed.signature())) {
            return Optional.of("the signature does not match (wrong secret, or user, roles or expiry changed)");
        }
        if (!EPOCH_SECONDS.matcher(expires).matches()) {
            return Optional.of(IdentityHeaders.EXPIRES + " is not epoch seconds: " + LogText.safe(expires));
        }
        return timeProblem(Long.parseLong(expires));
    }

    /** The checks that depend on the clock, so they run on every request, remembered headers too. */
    private Optional<String> timeProblem(long at) {
        long now = clock.instant().getEpochSecond();
        if (at <= now) {
            return Optional.of("expired " + (now - at) + "s ago");
        }
        if (at - now > config.maxAge().toSeconds()) {
            return Optional.of("expires in " + (at - now) + "s, more than identity.signed_header.max_age ("
                    + config.maxAge().toSeconds() + "s) ahead");
        }
        return Optional.empty();
    }
}
