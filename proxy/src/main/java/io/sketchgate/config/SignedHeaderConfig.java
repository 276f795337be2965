package io.sketchgate.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code identity.signed_header}: the HMAC-SHA256 key shared with the login proxy that signs
 * {@code X-Sketchgate-*} headers, and how far in the future a signature may expire.
 */
public record SignedHeaderConfig(Secret secret, Duration maxAge) {
    /** HMAC-SHA256 keys shorter than its 32-byte output weaken it. */
    public static final int MIN_SECRET_BYTES = 32;

    static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

    public SignedHeaderConfig {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(maxAge, "maxAge");
    }

    /** Empty when the secret is missing or too short; that is reported. */
    static Optional<SignedHeaderConfig> read(ConfigSection section) {
        // asked as a secret first, so that every message about it leaves the value out
        Optional<Secret> secret = section.secret("secret");
        section.required("secret");
        if (secret.isPresent() && secret.get().value().getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            section.problem(
                    "secret",
                    "must be at least " + MIN_SECRET_BYTES + " bytes long; make one with: openssl rand -hex 32");
            secret = Optional.empty();
        }
        Duration maxAge = section.duration("max_age", DEFAULT_MAX_AGE, Duration.ofSeconds(1), Duration.ofDays(1));
        return secret.map(s -> new SignedHeaderConfig(s, maxAge));
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("secret", secret.toString());
        tree.put("max_age", Durations.format(maxAge));
        return tree;
    }
}
