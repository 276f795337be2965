package io.sketchgate.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdkLocatorTest {

    @TempDir
    Path jvms;

    @ParameterizedTest(
            name = "Elasticsearch {0}.x on a Java {1} JVM with Java 11, 17, 21, 25 installed runs on Java {2}")
    @CsvSource({
        "7, 17, 17",
        "7, 8, 11",
        "8, 17, 17",
        "8, 11, 17",
        "8, 25, 17",
        "9, 17, 21",
        "9, 21, 21",
        "9, 25, 25",
    })
    void locate_prefersTheRunningJdk_elseTheOldestThatFits(int esMajor, int running, int expected) throws IOException {
        for (int feature : List.of(11, 17, 21, 25)) {
            fakeJdk("jdk-" + feature, feature + ".0.2");
        }
        Path runningHome = jvms.resolve("jdk-" + running);
        JdkLocator locator = new JdkLocator(new JdkLocator.Jdk(runningHome, running), List.of(jvms));

        Path chosen = locator.locate(esMajor);

        assertThat(chosen.getFileName().toString()).isEqualTo("jdk-" + expected);
    }

    @Test
    void locate_withNoSuitableJdk_namesWhatItFound() throws IOException {
        fakeJdk("java-17", "17.0.15");
        fakeJdk("not-a-jdk", null);
        JdkLocator locator = new JdkLocator(new JdkLocator.Jdk(Path.of("/opt/running"), 17), List.of(jvms));

        assertThatThrownBy(() -> locator.locate(9))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Elasticsearch 9.x needs Java 21+, but this JVM is Java 17 and " + jvms + " holds only "
                        + jvms.resolve("java-17").toRealPath() + " (Java 17). Install a suitable JDK there.");
    }

    @Test
    void installed_readsEachJdkOnce_evenThroughSymlinks() throws IOException {
        Path real = fakeJdk("java-17-openjdk-amd64", "17.0.15");
        Files.createSymbolicLink(jvms.resolve("java-1.17.0-openjdk-amd64"), real);
        fakeJdk("jdk8", "1.8.0_402");

        List<JdkLocator.Jdk> installed = new JdkLocator(new JdkLocator.Jdk(real, 17), List.of(jvms)).installed();

        assertThat(installed).extracting(JdkLocator.Jdk::feature).containsExactlyInAnyOrder(17, 8);
    }

    @Test
    void locate_onThisMachine_picksJava21OrNewerForElasticsearch9() throws IOException {
        Path home = JdkLocator.forThisJvm().locate(9);

        String release = Files.readString(home.resolve("release"));
        int feature = JdkLocator.feature(release.replaceAll("(?s).*JAVA_VERSION=\"([0-9._]+)\".*", "$1"));
        assertThat(feature).isGreaterThanOrEqualTo(21);
        assertThat(home.resolve("bin/java")).isExecutable();
    }

    private Path fakeJdk(String name, String javaVersion) throws IOException {
        Path home = Files.createDirectories(jvms.resolve(name));
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
        if (javaVersion != null) {
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + javaVersion + "\"\n");
        }
        return home;
    }
}
