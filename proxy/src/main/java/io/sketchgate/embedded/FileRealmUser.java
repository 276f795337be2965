package io.sketchgate.embedded;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A user of Elasticsearch's file realm, written straight into the node's {@code config/users}
 * ({@code name:bcrypt-hash}) and {@code config/users_roles} ({@code role:user1,user2}): the files
 * {@code bin/elasticsearch-users useradd} writes, without starting a JVM per user.
 */
record FileRealmUser(String name, String password, List<String> roles) {
    FileRealmUser {
        roles = List.copyOf(roles);
    }

    String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** File name to content; empty without users, so nothing in the distribution's config is overwritten. */
    static Map<String, String> configFiles(List<FileRealmUser> users) {
        if (users.isEmpty()) {
            return Map.of();
        }
        StringBuilder passwords = new StringBuilder();
        Map<String, List<String>> byRole = new TreeMap<>();
        for (FileRealmUser user : users) {
            // cost 10, the file realm's default
            passwords
                    .append(user.name())
                    .append(':')
                    .append(BCrypt.with(BCrypt.Version.VERSION_2A)
                            .hashToString(10, user.password().toCharArray()))
                    .append('\n');
            user.roles()
                    .forEach(role -> byRole.computeIfAbsent(role, r -> new java.util.ArrayList<>())
                            .add(user.name()));
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put("users", passwords.toString());
        files.put(
                "users_roles",
                byRole.entrySet().stream()
                        .map(e -> e.getKey() + ":" + String.join(",", e.getValue()))
                        .collect(Collectors.joining("\n", "", "\n")));
        return files;
    }
}
