package io.sketchgate.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class runs against the single Elasticsearch node shared by the whole test JVM, started
 * before the class if no earlier class started it. Inject {@link TestElasticsearch} as a parameter;
 * {@link TestElasticsearch#client()} is the node's REST client, {@link TestElasticsearch#baseUri()} its address:
 *
 * <pre>{@code
 * @RealElasticsearch
 * class SearchPassthroughTest {
 *     private static final String INDEX = IndexNames.unique(SearchPassthroughTest.class);
 *
 *     @BeforeAll
 *     static void load(TestElasticsearch es) throws Exception {
 *         es.requests().bulkIndex(INDEX, List.of(Map.of("user_id", "u1"), Map.of("user_id", "u2")));
 *     }
 *
 *     @Test
 *     void search_overAllDocuments_findsBoth(TestElasticsearch es) throws Exception {
 *         assertThat(es.requests().count(INDEX)).isEqualTo(2);
 *     }
 * }
 * }</pre>
 *
 * The node is shared, so use indices of your own ({@link IndexNames#unique}) and don't change
 * cluster-wide settings.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ElasticsearchExtension.class)
public @interface RealElasticsearch {}
