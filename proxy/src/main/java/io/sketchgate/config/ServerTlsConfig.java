package io.sketchgate.config;

import java.nio.file.Path;

/** PEM certificate chain and PKCS#8 private key a listener serves TLS with. */
public record ServerTlsConfig(Path certificate, Path key) {
}
