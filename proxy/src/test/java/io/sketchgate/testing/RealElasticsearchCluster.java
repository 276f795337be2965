package io.sketchgate.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class runs against the two-node cluster shared by the whole test JVM (started on first
 * use, ~30 s), for failover tests. Inject {@link TestElasticsearchCluster}:
 *
 * <pre>{@code
 * @RealElasticsearchCluster
 * class UpstreamFailoverTest {
 *     @Test
 *     void search_whileOneNodeIsKilled_isAnsweredByTheOther(TestElasticsearchCluster cluster) throws Exception {
 *         int victim = cluster.nonMasterIndex();
 *         cluster.kill(victim);                       // SIGKILL by PID
 *         ... requests to cluster.httpUri(1 - victim) still succeed ...
 *         cluster.restart(victim);                    // back to 2 nodes
 *     }
 * }
 * }</pre>
 *
 * Create indices with {@code "number_of_replicas": 1} so the survivor holds all data. After each
 * class, nodes the class left down are restarted, so the next class finds two nodes again.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ElasticsearchExtension.class)
public @interface RealElasticsearchCluster {}
