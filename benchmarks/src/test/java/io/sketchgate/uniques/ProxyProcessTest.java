package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyProcessTest {

    @Test
    void theBenchmarkedProxy_getsTheLaunchersDefaultJavaOptions(@TempDir Path checkout) throws IOException {
        Files.writeString(
                checkout.resolve("sketchgate"),
                "#!/usr/bin/env bash\nset -e\ndefault_java_opts=\"-XX:+UseParallelGC  -Xmn256m\"\nexec java\n");
        Path jar = checkout.resolve("proxy/target/sketchgate.jar");

        assertThat(ProxyProcess.launcherJavaOptions(jar)).containsExactly("-XX:+UseParallelGC", "-Xmn256m");
    }

    @Test
    void aLauncherWithoutDefaultOptions_isAnError_namingIt(@TempDir Path checkout) throws IOException {
        Files.writeString(checkout.resolve("sketchgate"), "#!/usr/bin/env bash\nexec java -jar x.jar\n");

        assertThatThrownBy(() -> ProxyProcess.launcherJavaOptions(checkout.resolve("proxy/target/sketchgate.jar")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(checkout.resolve("sketchgate").toString())
                .hasMessageContaining("default_java_opts");
    }

    @Test
    void theRepositorysLauncher_namesItsCollector() throws IOException {
        Path jar = Path.of("..", "proxy", "target", "sketchgate.jar"); // the benchmarks module's working directory

        assertThat(ProxyProcess.launcherJavaOptions(jar)).anyMatch(option -> option.startsWith("-XX:+Use"));
    }
}
