package io.sketchgate.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How Sketchgate trusts an https upstream: the JDK's trust store, or the PEM CA bundle given;
 * hostname verification stays on unless explicitly turned off.
 */
public record ClientTlsConfig(Optional<Path> certificateAuthorities, boolean verifyHostname) {
}
