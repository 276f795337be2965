package io.sketchgate.identity;

import io.sketchgate.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of the {@code signed_header} source: lowercase hex of
 * {@code HMAC-SHA256(secret, user + "\n" + roles + "\n" + expires)}, where {@code roles} is the
 * {@code X-Sketchgate-Roles} value exactly as sent and {@code expires} the {@code X-Sketchgate-Expires} value
 * (epoch seconds). Used by the source to verify and by {@code ./sketchgate sign-header} (or a login proxy) to sign.
 */
public final class HeaderSignature {
    private static final String ALGORITHM = "HmacSHA256";

    private HeaderSignature() {}

    public static String sign(Secret secret, String user, String roles, String expires) {
        return new Verifier(secret).sign(user, roles, expires);
    }

    /**
     * Signs and checks with one secret. {@code Mac.getInstance} and {@code init} walk the provider list and expand
     * the key on every call (about a third of an HMAC's cost here), so the verifier keeps one keyed {@code Mac}
     * and works on a clone of it. Thread-safe: the prototype is never used itself.
     */
    static final class Verifier {
        private final Mac prototype;

        Verifier(Secret secret) {
            try {
                prototype = Mac.getInstance(ALGORITHM);
                prototype.init(new SecretKeySpec(secret.value().getBytes(StandardCharsets.UTF_8), ALGORITHM));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        }

        String sign(String user, String roles, String expires) {
            Mac mac;
            try {
                mac = (Mac) prototype.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("the JDK's HmacSHA256 can be cloned", e);
            }
            byte[] digest = mac.doFinal((user + "\n" + roles + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        }

        /** Compares in time independent of where the values differ, so timing reveals nothing of the right one. */
        boolean matches(String user, String roles, String expires, String signature) {
            byte[] expected = sign(user, roles, expires).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The four headers, in {@link IdentityHeaders#ALL} order, for a user with {@code roles} until {@code expires}. */
    public static Map<String, String> headers(Secret secret, String user, List<String> roles, Instant expires) {
        String joined = String.join(",", roles);
        String seconds = Long.toString(expires.getEpochSecond());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(IdentityHeaders.USER, user);
        headers.put(IdentityHeaders.ROLES, joined);
        headers.put(IdentityHeaders.EXPIRES, seconds);
        headers.put(IdentityHeaders.SIGNATURE, sign(secret, user, joined, seconds));
        return headers;
    }
}
