package io.sketchgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

class LeakDetectionTest {

    @Test
    void aRunningProxyTurnsTheDetectorOff_whenTheOperatorSetNoLevel() {
        assertThat(LeakDetection.levelToSet(null)).contains(ResourceLeakDetector.Level.DISABLED);
    }

    @Test
    void aLevelTheOperatorSetIsLeftToNetty() {
        assertThat(LeakDetection.levelToSet("paranoid")).isEmpty();
        assertThat(LeakDetection.levelToSet("disabled")).isEmpty();
    }
}
