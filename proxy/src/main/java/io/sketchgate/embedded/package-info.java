/**
 * Real Elasticsearch nodes run as child processes, for the test suite and {@code sketchgate demo}.
 *
 * <p>Start reading at {@link io.sketchgate.embedded.EmbeddedElasticsearch}: a builder for a one- or
 * two-node cluster on loopback with free ports. {@link io.sketchgate.embedded.ElasticsearchDistribution}
 * finds the {@code integ-test-zip} that Maven downloaded and unpacks it once per version;
 * {@link io.sketchgate.embedded.JdkLocator} picks a JDK the version can run on, because the zip
 * carries none. When the JVM runs as root the nodes run as the system user {@code esrun}, since
 * Elasticsearch refuses to start as root.
 */
package io.sketchgate.embedded;
