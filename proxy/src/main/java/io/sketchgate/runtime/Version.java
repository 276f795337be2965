package io.sketchgate.runtime;

import java.util.Optional;

/**
 * The version of one stored change: Elasticsearch's sequence number and primary term of its document, which
 * change on every write, so an {@code If-Match} can be checked by Elasticsearch itself ({@code if_seq_no} and
 * {@code if_primary_term}) and a lost update cannot slip between our check and the write. Spelled
 * {@code SEQNO:TERM}; {@link #FILE} stands for "no run-time change stored".
 */
public record Version(long seqNo, long primaryTerm) {
    /** The version of an entry that only the file defines (or that does not exist yet). */
    public static final String FILE = "file";

    public String text() {
        return seqNo + ":" + primaryTerm;
    }

    /** An {@code If-Match} value: {@code "7:1"}, {@code 7:1}, {@code W/"7:1"} or {@code "file"}. */
    public static Optional<Expected> parseIfMatch(String header) {
        String text = header.strip();
        if (text.startsWith("W/")) {
            text = text.substring(2);
        }
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        if (text.equals(FILE)) {
            return Optional.of(new Expected(Optional.empty(), FILE));
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Expected(
                    Optional.of(new Version(
                            Long.parseLong(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)))),
                    text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** What an {@code If-Match} asks for: this stored version, or none stored ({@link #FILE}). */
    public record Expected(Optional<Version> version, String text) {}

    /** The {@code ETag} header value. */
    public static String etag(Optional<Version> version) {
        return "\"" + version.map(Version::text).orElse(FILE) + "\"";
    }
}
