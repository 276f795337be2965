/**
 * The real-Elasticsearch test harness: every integration test talks to a real node, never a mock.
 *
 * <p>Annotate a test class with {@link io.sketchgate.testing.RealElasticsearch} for the shared
 * single node, or {@link io.sketchgate.testing.RealElasticsearchCluster} for the shared two-node
 * cluster, and declare a {@link io.sketchgate.testing.TestElasticsearch} or
 * {@link io.sketchgate.testing.TestElasticsearchCluster} parameter wherever you need it (test methods,
 * {@code @BeforeAll}/{@code @BeforeEach}, constructors). Start reading at
 * {@link io.sketchgate.testing.ElasticsearchExtension}.
 */
package io.sketchgate.testing;
