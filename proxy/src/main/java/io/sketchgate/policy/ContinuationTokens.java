package io.sketchgate.policy;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The continuation ids Sketchgate hands out: each scroll, point-in-time and async id Elasticsearch returns is sent
 * to the client wrapped with its owner and an HMAC of (owner, id), and unwrapped on the way back. Ownership then
 * needs no shared state: any instance holding the same secret, before or after a restart, knows who an id was
 * handed out to, and an id Sketchgate did not hand out (an Elasticsearch id sent directly, a forged or altered
 * one) carries no valid tag and is refused.
 *
 * <pre>
 *   sg1 . base64url(owner) . base64url(HMAC-SHA256(secret, len(owner) ‖ owner ‖ id)[0..16)) . id
 * </pre>
 *
 * The raw id comes last and as the client spelled it (a path may percent-encode it), so unwrapping is dropping
 * the prefix. The tag is 128 bits: forging one is as hard as guessing the secret. The ids are still Elasticsearch's,
 * so an id outlives Sketchgate's state and expires when Elasticsearch forgets it.
 */
public final class ContinuationTokens {
    static final String PREFIX = "sg1.";
    private static final int TAG_BYTES = 16;
    private static final int TAG_CHARS = 22; // unpadded base64 of 16 bytes
    private static final Pattern TOKEN =
            Pattern.compile("sg1\\.([A-Za-z0-9_-]+)\\.([A-Za-z0-9_-]{" + TAG_CHARS + "})\\.([A-Za-z0-9+/=_%-]+)");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;

    /** @param secret at least 32 bytes (validated by the config loader) */
    public ContinuationTokens(byte[] secret) {
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /** Tokens under a key made up at start: ownership then holds within this process only. */
    public static ContinuationTokens ephemeral() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new ContinuationTokens(secret);
    }

    /** An unwrapped token: who it was handed out to, and Elasticsearch's id. */
    public record Unwrapped(String owner, String id) {}

    public String wrap(String owner, String id) {
        return PREFIX + B64.encodeToString(owner.getBytes(StandardCharsets.UTF_8)) + "." + tag(owner, id) + "." + id;
    }

    /** The owner and id of a token this key made; empty for anything else (a raw id, a forged or altered token). */
    public Optional<Unwrapped> unwrap(String token) {
        Matcher m = TOKEN.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        return verified(m.group(1), m.group(2), m.group(3));
    }

    /**
     * {@code text} with every token owned by a user {@code mine} accepts replaced by its raw id; other text, and
     * tokens that are forged or someone else's, stay as they are (policy refuses those before).
     */
    String unwrapAll(String text, BiPredicate<String, String> mine) {
        if (!text.contains(PREFIX)) {
            return text;
        }
        Matcher m = TOKEN.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            Optional<Unwrapped> unwrapped = verified(m.group(1), m.group(2), m.group(3));
            String replacement = unwrapped.isPresent()
                            && mine.test(
                                    unwrapped.get().owner(), unwrapped.get().id())
                    ? m.group(3)
                    : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Optional<Unwrapped> verified(String encodedOwner, String tag, String spelledId) {
        String owner;
        try {
            owner = new String(Base64.getUrlDecoder().decode(encodedOwner), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        String id = spelledId.indexOf('%') >= 0 ? decodePercent(spelledId) : spelledId;
        byte[] expected = tag(owner, id).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, tag.getBytes(StandardCharsets.US_ASCII))
                ? Optional.of(new Unwrapped(owner, id))
                : Optional.empty();
    }

    private static String decodePercent(String spelled) {
        try {
            return URLDecoder.decode(spelled.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return spelled;
        }
    }

    private String tag(String owner, String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] ownerBytes = owner.getBytes(StandardCharsets.UTF_8);
            mac.update(ByteBuffer.allocate(4).putInt(ownerBytes.length).array());
            mac.update(ownerBytes);
            mac.update(id.getBytes(StandardCharsets.UTF_8));
            return B64.encodeToString(Arrays.copyOf(mac.doFinal(), TAG_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
