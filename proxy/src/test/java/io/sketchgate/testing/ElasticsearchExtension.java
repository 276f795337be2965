package io.sketchgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContextException;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires real Elasticsearch into JUnit 5; apply it through {@link RealElasticsearch} or
 * {@link RealElasticsearchCluster} rather than directly.
 *
 * <ul>
 *   <li>Sharing: the single node and the two-node cluster are each started at most once per test JVM,
 *       on first use, and kept in the root {@link ExtensionContext.Store}; JUnit closes them (stopping
 *       the processes, deleting their data) when the test plan ends. They are {@link AutoCloseable},
 *       which JUnit 5.13 closes in place of the deprecated {@code CloseableResource}.
 *   <li>Parameters: {@link TestElasticsearch} and {@link TestElasticsearchCluster}; their
 *       {@code client()} is the REST client. A bare {@code RestClient} parameter is deliberately not
 *       resolved here: an extension for the proxy may want to inject one pointing at the proxy, and
 *       JUnit refuses parameters two extensions compete for.
 *   <li>Static access: {@link #singleNode(ExtensionContext)} and {@link #cluster(ExtensionContext)}
 *       for other extensions (e.g. one that starts the proxy in front of the node).
 *   <li>Failures: when a test fails, the tail of each node's log is logged, since the cause of a
 *       puzzling 500 is usually there.
 * </ul>
 *
 * <p>The version comes from {@code -Des.version} (default: the build's, 8.19.7).
 */
public final class ElasticsearchExtension
        implements BeforeAllCallback, AfterAllCallback, ParameterResolver, TestWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ElasticsearchExtension.class);
    private static final String SINGLE_NODE = "single-node";
    private static final String CLUSTER = "two-node-cluster";
    private static final int LOG_TAIL_LINES = 60;

    /** The shared single node, started now if no test started it yet. */
    public static TestElasticsearch singleNode(ExtensionContext context) {
        return root(context)
                .getOrComputeIfAbsent(SINGLE_NODE, key -> start(TestElasticsearch::start), TestElasticsearch.class);
    }

    /** The shared two-node cluster, started now if no test started it yet. */
    public static TestElasticsearchCluster cluster(ExtensionContext context) {
        return root(context)
                .getOrComputeIfAbsent(
                        CLUSTER, key -> start(TestElasticsearchCluster::start), TestElasticsearchCluster.class);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // start before the first test so its timing and timeouts don't include start-up
        if (annotated(context, RealElasticsearch.class)) {
            singleNode(context);
        }
        if (annotated(context, RealElasticsearchCluster.class)) {
            cluster(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        TestElasticsearchCluster cluster = root(context).get(CLUSTER, TestElasticsearchCluster.class);
        if (cluster != null && annotated(context, RealElasticsearchCluster.class)) {
            cluster.heal();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestElasticsearch.class || type == TestElasticsearchCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == TestElasticsearch.class) {
            return singleNode(context);
        }
        return cluster(context);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        ExtensionContext.Store root = root(context);
        Optional.ofNullable(root.get(SINGLE_NODE, TestElasticsearch.class))
                .ifPresent(node -> LOG.warn(
                        "{} failed; Elasticsearch {} log tail:\n{}",
                        context.getDisplayName(),
                        node.version(),
                        node.logTail(LOG_TAIL_LINES)));
        Optional.ofNullable(root.get(CLUSTER, TestElasticsearchCluster.class))
                .ifPresent(cluster -> LOG.warn(
                        "{} failed; Elasticsearch {} cluster log tail:\n{}",
                        context.getDisplayName(),
                        cluster.version(),
                        cluster.logTail(LOG_TAIL_LINES)));
    }

    private static ExtensionContext.Store root(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE);
    }

    private static boolean annotated(ExtensionContext context, Class<? extends java.lang.annotation.Annotation> type) {
        return context.getTestClass()
                .map(testClass -> AnnotationSupport.isAnnotated(testClass, type))
                .orElse(false);
    }

    private static <T> T start(Starter<T> starter) {
        try {
            return starter.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExtensionContextException("Interrupted while starting Elasticsearch", e);
        }
    }

    @FunctionalInterface
    private interface Starter<T> {
        T start() throws IOException, InterruptedException;
    }
}
