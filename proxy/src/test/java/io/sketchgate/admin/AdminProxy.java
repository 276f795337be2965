package io.sketchgate.admin;

import io.sketchgate.testing.ProxyUnderTest;
import java.net.URI;
import java.nio.file.Path;

/**
 * The proxy of the admin endpoint tests: policy on, static users {@code admin} (role {@code sketchgate_admin}),
 * {@code alice} and {@code bob} (role {@code analyst}), and a YAML tail for the rest (roles, usage, metrics).
 */
final class AdminProxy {
    private AdminProxy() {}

    static ProxyUnderTest start(Path dir, URI elasticsearch, String yamlTail) throws Exception {
        return ProxyUnderTest.forElasticsearch(elasticsearch)
                .yaml("access_log: { enabled: false }")
                .user("admin", "sketchgate_admin")
                .user("alice", "analyst")
                .user("bob", "analyst")
                .yaml(yamlTail)
                .start(dir);
    }
}
