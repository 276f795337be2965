package io.sketchgate.uniques;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Which stored document a number belongs to. {@code dimensionValues} holds one value per dimension of the
 * definition, in its order, with {@link #ALL} where the dimension is rolled up.
 *
 * <p>The document id is a hash of exactly these fields, so re-running a bucket overwrites its document.
 */
public record BucketKey(String level, String zone, Instant start, List<String> dimensionValues) {

    /** The value of a rolled-up dimension ("every value"). Source values spelled like this are refused. */
    public static final String ALL = "__all__";
    /** The value of a dimension an event does not have. */
    public static final String MISSING = "__missing__";

    public BucketKey {
        dimensionValues = List.copyOf(dimensionValues);
    }

    /** 32 hex digits: the first 128 bits of SHA-256 over level, zone, start and the values, NUL-separated. */
    public String id() {
        StringBuilder text = new StringBuilder()
                .append(level)
                .append('\0')
                .append(zone)
                .append('\0')
                .append(start.toEpochMilli());
        for (String value : dimensionValues) {
            text.append('\0').append(value);
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
