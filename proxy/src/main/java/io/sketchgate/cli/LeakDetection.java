package io.sketchgate.cli;

import io.netty.util.ResourceLeakDetector;
import java.util.Optional;

/**
 * Netty's buffer-leak detector in a running proxy: off unless the operator asks for it with
 * {@code -Dio.netty.leakDetection.level=...}.
 *
 * <p>At Netty's default level it samples one buffer in 128 and, while it is on at all, every message through a
 * pipeline is also "touched" for the leak record: about 1.3 µs of the 10 µs of user CPU a passthrough request costs
 * on the 2-core benchmark machine (benchmarks/README.md, "Passthrough vs nginx"). A leak it would report is a bug
 * to be found in testing: the test suite starts proxies through {@link Main#execute} and keeps Netty's default; an
 * operator chasing one in production sets the property, which is then left alone.
 */
final class LeakDetection {

    static final String LEVEL_PROPERTY = "io.netty.leakDetection.level";

    private LeakDetection() {}

    /** The level a running proxy sets, given the property's value (null when unset); empty to leave Netty's. */
    static Optional<ResourceLeakDetector.Level> levelToSet(String configured) {
        return configured == null ? Optional.of(ResourceLeakDetector.Level.DISABLED) : Optional.empty();
    }

    /** Applies {@link #levelToSet} to this JVM, before the first buffer is allocated. */
    static void applyToProcess() {
        levelToSet(System.getProperty(LEVEL_PROPERTY)).ifPresent(ResourceLeakDetector::setLevel);
    }
}
