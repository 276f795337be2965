package io.sketchgate.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How Sketchgate trusts an https upstream: the JDK's trust store, or the PEM CA bundle given;
 * hostname verification stays on unless explicitly turned off.
 */
public record ClientTlsConfig(Optional<Path> certificateAuthorities, boolean verifyHostname) {
    /** What an https upstream gets when its tls section is left out: JDK trust store, hostname verified. */
    static final ClientTlsConfig DEFAULT = new ClientTlsConfig(Optional.empty(), true);

    public ClientTlsConfig {
        Objects.requireNonNull(certificateAuthorities, "certificateAuthorities");
    }

    static ClientTlsConfig read(ConfigSection section) {
        return new ClientTlsConfig(
                section.pemFile("certificate_authorities", PemFiles.CERTIFICATES),
                section.bool("verify_hostname", true));
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        certificateAuthorities.ifPresent(p -> tree.put("certificate_authorities", p.toString()));
        tree.put("verify_hostname", verifyHostname);
        return tree;
    }
}
