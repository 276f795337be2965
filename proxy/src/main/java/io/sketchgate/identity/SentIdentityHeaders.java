package io.sketchgate.identity;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link IdentityHeaders} a request carries, read in one pass over its headers: how often each was sent and the
 * first value of each. Every request of a signed-in browser carries them, and asking the headers for each name
 * (with a list per name) cost more than the remembered check that follows.
 */
final class SentIdentityHeaders {
    private static final List<String> NAMES = IdentityHeaders.ALL;

    private final int[] counts = new int[NAMES.size()];
    private final String[] first = new String[NAMES.size()];

    private SentIdentityHeaders() {}

    static SentIdentityHeaders read(HttpHeaders headers) {
        SentIdentityHeaders sent = new SentIdentityHeaders();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            int index = indexOf(header.getKey());
            if (index >= 0 && sent.counts[index]++ == 0) {
                sent.first[index] = header.getValue().toString();
            }
        }
        return sent;
    }

    /** The position of {@code name} in {@link IdentityHeaders#ALL}, in any letter case; -1 for other headers. */
    private static int indexOf(CharSequence name) {
        for (int i = 0; i < NAMES.size(); i++) {
            String known = NAMES.get(i);
            if (name.length() == known.length() && AsciiString.contentEqualsIgnoreCase(name, known)) {
                return i;
            }
        }
        return -1;
    }

    /** No {@code X-Sketchgate-User} and no {@code X-Sketchgate-Signature}: nothing for this source to check. */
    boolean none() {
        return count(IdentityHeaders.USER) == 0 && count(IdentityHeaders.SIGNATURE) == 0;
    }

    /** The first header, in {@link IdentityHeaders#ALL} order, sent more than once or missing (roles may be). */
    Optional<String> countProblem() {
        for (int i = 0; i < NAMES.size(); i++) {
            String name = NAMES.get(i);
            if (counts[i] > 1) {
                return Optional.of(name + " is sent " + counts[i] + " times");
            }
            if (counts[i] == 0 && !name.equals(IdentityHeaders.ROLES)) {
                return Optional.of(name + " is missing");
            }
        }
        return Optional.empty();
    }

    /** The first value of {@code name}, or {@code absent} when it was not sent. */
    String first(String name, String absent) {
        String value = first[NAMES.indexOf(name)];
        return value == null ? absent : value;
    }

    private int count(String name) {
        return counts[NAMES.indexOf(name)];
    }
}
