package io.sketchgate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A first look at TLS files at load time, so a wrong file fails {@code check-config} instead of the first
 * handshake. Only the PEM armour is checked here; the proxy parses the contents when it builds its SSL contexts.
 */
enum PemFiles {
    /** One or more X.509 certificates: a server chain or a CA bundle. */
    CERTIFICATES,
    /** An unencrypted PKCS#8 private key, the form Netty's SslContextBuilder reads without extra providers. */
    PRIVATE_KEY;

    private static final long MAX_BYTES = 1024 * 1024;

    /** @return the problem with the file at {@code path}, if any */
    Optional<String> problem(Path path) {
        String text;
        try {
            if (Files.size(path) > MAX_BYTES) {
                return Optional.of("is larger than 1mb, which no PEM " + noun() + " is");
            }
            text = Files.readString(path, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return Optional.of("cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        return switch (this) {
            case CERTIFICATES ->
                text.contains("-----BEGIN CERTIFICATE-----")
                        ? Optional.empty()
                        : Optional.of("must be a PEM file with -----BEGIN CERTIFICATE-----");
            case PRIVATE_KEY -> keyProblem(text, path);
        };
    }

    private static Optional<String> keyProblem(String text, Path path) {
        if (text.contains("-----BEGIN PRIVATE KEY-----")) {
            return Optional.empty();
        }
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            return Optional.of("is an encrypted key; Sketchgate needs it unencrypted:"
                    + " openssl pkcs8 -topk8 -nocrypt -in " + path + " -out key.pem");
        }
        if (text.matches("(?s).*-----BEGIN [A-Z]+ PRIVATE KEY-----.*")) {
            return Optional.of("must be a PKCS#8 key (-----BEGIN PRIVATE KEY-----); convert it with:"
                    + " openssl pkcs8 -topk8 -nocrypt -in " + path + " -out key.pem");
        }
        return Optional.of("must be a PEM file with -----BEGIN PRIVATE KEY-----");
    }

    private String noun() {
        return this == CERTIFICATES ? "certificate bundle" : "key";
    }
}
