package io.sketchgate.esapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class IndexResolverCacheKeyTest {
    private final RequestClassifier classifier =
            new RequestClassifier(Clock.fixed(Instant.parse("2024-05-15T12:00:00Z"), ZoneOffset.UTC));

    @Test
    void localItems_areTheKeyThemselves_withoutACopyOrAString() {
        IndexTargets targets =
                classifier.classify("POST", "/logs-*,-logs-old/_search").targets();

        assertThat(IndexResolver.cacheKey(targets)).isSameAs(targets.expressions());
        assertThat(IndexResolver.expression(IndexResolver.cacheKey(targets))).isEqualTo("logs-*,-logs-old");
    }

    @Test
    void sameIndicesInAnotherRequest_giveAnEqualKey_andOtherIndicesAnotherOne() {
        Object search = IndexResolver.cacheKey(
                classifier.classify("POST", "/logs-*/_search").targets());
        Object count = IndexResolver.cacheKey(
                classifier.classify("GET", "/logs-*/_count").targets());
        Object other = IndexResolver.cacheKey(
                classifier.classify("POST", "/logs-2*/_search").targets());

        assertThat(count).isEqualTo(search);
        assertThat(other).isNotEqualTo(search);
    }

    @Test
    void remoteItems_areLeftOut_andEveryIndexIsAskedAsStar() {
        IndexTargets mixed =
                classifier.classify("POST", "/logs-*,eu:logs-*/_search").targets();
        IndexTargets remoteOnly =
                classifier.classify("POST", "/eu:logs-*/_search").targets();
        IndexTargets all = classifier.classify("POST", "/_search").targets();

        assertThat(IndexResolver.expression(IndexResolver.cacheKey(mixed))).isEqualTo("logs-*");
        assertThat(IndexResolver.cacheKey(remoteOnly)).isEmpty();
        assertThat(IndexResolver.expression(IndexResolver.cacheKey(all))).isEqualTo("*");
    }
}
