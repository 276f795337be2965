package io.sketchgate.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The Elasticsearch version this build was made and tested with (the root pom's {@code es.version}). */
public final class ElasticsearchVersion {

    private ElasticsearchVersion() {}

    /** Read from a resource Maven filters, so the default follows {@code -Des.version} at build time. */
    public static String ofBuild() {
        try (InputStream in = ElasticsearchVersion.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException(
                        "io/sketchgate/embedded/build.properties is missing from the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("es.version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code "8.19.7"} → 8. */
    public static int major(String version) {
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "Elasticsearch version must look like 8.19.7, was \"" + version + "\"", e);
        }
    }
}
