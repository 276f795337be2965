package io.sketchgate.esapi;

import java.util.Set;

/**
 * A small set of field names, asked about every name of a body: a name of a length no member has is answered
 * without hashing it (most are). Answers exactly as {@link Set#contains} on the same names.
 */
final class NameSet {
    private final Set<String> names;
    private final long lengths; // bit n set when a member has n characters

    private NameSet(Set<String> names, long lengths) {
        this.names = names;
        this.lengths = lengths;
    }

    static NameSet of(String... names) {
        long lengths = 0;
        for (String name : names) {
            if (name.isEmpty() || name.length() >= Long.SIZE) {
                throw new IllegalArgumentException("a member must have 1 to 63 characters: " + name);
            }
            lengths |= 1L << name.length();
        }
        return new NameSet(Set.of(names), lengths);
    }

    boolean contains(String name) {
        int length = name.length();
        return length < Long.SIZE && (lengths & (1L << length)) != 0 && names.contains(name);
    }
}
