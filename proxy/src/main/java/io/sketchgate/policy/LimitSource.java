package io.sketchgate.policy;

/**
 * Where an effective limit comes from, for messages and the access log: a role, or a user's override.
 *
 * @param name the role or user name
 */
public record LimitSource(Kind kind, String name) {
    public enum Kind {
        ROLE,
        USER_OVERRIDE
    }

    public static LimitSource role(String name) {
        return new LimitSource(Kind.ROLE, name);
    }

    public static LimitSource userOverride(String user) {
        return new LimitSource(Kind.USER_OVERRIDE, user);
    }

    /** {@code requests_per_minute of role analyst}, {@code requests_per_minute set for user alice}. */
    public String describe(String key) {
        return kind == Kind.ROLE ? key + " of role " + name : key + " set for user " + name;
    }
}
