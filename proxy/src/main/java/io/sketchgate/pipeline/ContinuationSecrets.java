package io.sketchgate.pipeline;

import io.sketchgate.config.IdentityConfig;
import io.sketchgate.policy.ContinuationTokens;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The key that signs the scroll, PIT and async ids handed out: {@code identity.continuation_secret}, or one made now. */
final class ContinuationSecrets {
    private static final Logger LOG = LoggerFactory.getLogger(ContinuationSecrets.class);

    private ContinuationSecrets() {}

    static ContinuationTokens tokens(IdentityConfig identity, boolean identityEnabled) {
        return identity.continuationSecret()
                .map(secret -> new ContinuationTokens(secret.value().getBytes(StandardCharsets.UTF_8)))
                .orElseGet(() -> {
                    if (identityEnabled) {
                        LOG.warn("identity.continuation_secret is not set: scroll, PIT and async ids handed out now"
                                + " are refused after a restart and by other instances");
                    }
                    return ContinuationTokens.ephemeral();
                });
    }
}
