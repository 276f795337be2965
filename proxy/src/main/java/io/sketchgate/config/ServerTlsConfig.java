package io.sketchgate.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** PEM certificate chain and PKCS#8 private key a listener serves TLS with. */
public record ServerTlsConfig(Path certificate, Path key) {
    public ServerTlsConfig {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }

    /** Empty when a file is missing or unusable; those problems are already reported. */
    static Optional<ServerTlsConfig> read(ConfigSection section) {
        Optional<Path> certificate = section.required("certificate").flatMap(v -> v.pemFile(PemFiles.CERTIFICATES));
        Optional<Path> key = section.required("key").flatMap(v -> v.pemFile(PemFiles.PRIVATE_KEY));
        return certificate.isPresent() && key.isPresent()
                ? Optional.of(new ServerTlsConfig(certificate.get(), key.get()))
                : Optional.empty();
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("certificate", certificate.toString());
        tree.put("key", key.toString());
        return tree;
    }
}
