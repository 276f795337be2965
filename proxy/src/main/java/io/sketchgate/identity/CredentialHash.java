package io.sketchgate.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Cache keys for credentials: SHA-256 in hex, so the caches never hold a password, token or API key, and a key
 * printed by mistake reveals none. (A weak password can still be guessed from its unsalted hash by someone who
 * can read the heap; such a reader can also read requests in flight.)
 */
final class CredentialHash {
    private CredentialHash() {}

    static String of(String credential) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
