package io.sketchgate.cli;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * The demo's three static users. Passwords are drawn at start from {@link SecureRandom} and printed in the banner;
 * {@code --password} sets the admin's (the one typed into the admin page), the analysts' are always drawn.
 */
final class DemoUsers {
    static final String ADMIN = "admin";
    static final String ANALYST = "alice";
    static final String SECOND_ANALYST = "bob";

    static final String ADMIN_ROLE = "sketchgate_admin";
    static final String ANALYST_ROLE = "analyst";

    /** Letters and digits only, so a password pastes into {@code curl -u user:password} without quoting. */
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private static final int PASSWORD_LENGTH = 16;

    /** bcrypt's cheapest accepted cost: the demo checks three hashes at start and caches successful logins. */
    private static final int BCRYPT_COST = 10;

    record User(String name, String role, String password) {
        String passwordHash() {
            return BCrypt.with(BCrypt.Version.VERSION_2A).hashToString(BCRYPT_COST, password.toCharArray());
        }

        @Override
        public String toString() {
            return name + " (" + role + ")";
        }
    }

    private final List<User> users;

    private DemoUsers(List<User> users) {
        this.users = List.copyOf(users);
    }

    static DemoUsers generate(Optional<String> adminPassword, SecureRandom random) {
        return new DemoUsers(List.of(
                new User(ADMIN, ADMIN_ROLE, adminPassword.orElseGet(() -> password(random))),
                new User(ANALYST, ANALYST_ROLE, password(random)),
                new User(SECOND_ANALYST, ANALYST_ROLE, password(random))));
    }

    List<User> all() {
        return users;
    }

    User admin() {
        return user(ADMIN);
    }

    User analyst() {
        return user(ANALYST);
    }

    User secondAnalyst() {
        return user(SECOND_ANALYST);
    }

    private User user(String name) {
        return users.stream().filter(u -> u.name().equals(name)).findFirst().orElseThrow();
    }

    private static String password(SecureRandom random) {
        StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
