package io.sketchgate.policy.identity;

import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.config.SignedHeaderConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code signed_header} source: {@code X-Sketchgate-User}, {@code -Roles}, {@code -Expires} and
 * {@code -Signature} as set by a login proxy that shares the secret (see {@link HeaderSignature}).
 *
 * <p>Headers that fail any check (missing or repeated header, bad signature, expired, expiring further ahead than
 * {@code max_age}) are ignored as if absent and logged at WARN without the signature; they never yield an identity.
 * Synchronous: an HMAC costs about a microsecond.
 */
final class SignedHeaderSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(SignedHeaderSource.class);
    private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d{1,12}");

    private final SignedHeaderConfig config;
    private final Clock clock;

    SignedHeaderSource(SignedHeaderConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Attempt attempt(HttpHeaders headers) {
        List<String> users = headers.getAll(IdentityHeaders.USER);
        if (users.isEmpty() && !headers.contains(IdentityHeaders.SIGNATURE)) {
            return Attempt.NOT_MINE;
        }
        Optional<String> problem = problem(headers, users);
        if (problem.isPresent()) {
            String user = users.isEmpty() ? "(none)" : LogText.safe(users.get(0));
            LOG.warn("Ignoring {} headers for user [{}]: {}", "X-Sketchgate-*", user, problem.get());
            return Attempt.NOT_MINE;
        }
        String user = users.get(0);
        String roles = headers.get(IdentityHeaders.ROLES, "");
        List<String> roleList = Arrays.stream(roles.split(",")).map(String::strip).filter(r -> !r.isEmpty()).toList();
        return new Attempt.Identified(Identity.of(user, roleList, Identity.Source.SIGNED_HEADER));
    }

    private Optional<String> problem(HttpHeaders headers, List<String> users) {
        for (String name : IdentityHeaders.ALL) {
            int count = headers.getAll(name).size();
            if (count > 1) {
                return Optional.of(name + " is sent " + count + " times");
            }
            if (count == 0 && !name.equals(IdentityHeaders.ROLES)) {
                return Optional.of(name + " is missing");
            }
        }
        String user = users.get(0);
        if (user.isEmpty() || user.chars().anyMatch(Character::isISOControl)) {
            return Optional.of(IdentityHeaders.USER + " is empty or has control characters");
        }
        String roles = headers.get(IdentityHeaders.ROLES, "");
        String expires = headers.get(IdentityHeaders.EXPIRES);
        if (!HeaderSignature.matches(config.secret(), user, roles, expires, headers.get(IdentityHeaders.SIGNATURE))) {
            return Optional.of("the signature does not match (wrong secret, or user, roles or expiry changed)");
        }
        if (!EPOCH_SECONDS.matcher(expires).matches()) {
            return Optional.of(IdentityHeaders.EXPIRES + " is not epoch seconds: " + LogText.safe(expires));
        }
        long now = clock.instant().getEpochSecond();
        long at = Long.parseLong(expires);
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
