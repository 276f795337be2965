package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.es.EsJson;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading the stored documents the catalogue keeps ({@link StoredBuckets}), on {@link UvFixture}'s index. */
@RealElasticsearch
class StoredBucketsTest {
    private static List<StoredBuckets.Document> documents;

    @BeforeAll
    static void read(TestElasticsearch es) throws Exception {
        UvFixture data = UvFixture.shared(es);
        documents = new ArrayList<>();
        new StoredBuckets(new EsJson(es.client()), data.definition).read(Optional.empty(), documents::add);
    }

    /** Equal values read once are one object: the catalogue holds every document for as long as it runs. */
    @ParameterizedTest
    @ValueSource(strings = {"level", "zone", "start", "watermark", "dimension values", "each dimension value"})
    void equalValuesOfOneRead_areOneInstance(String field) {
        Function<StoredBuckets.Document, List<?>> values = switch (field) {
            case "level" -> d -> List.of(d.level());
            case "zone" -> d -> List.of(d.zone());
            case "start" -> d -> List.of(d.start());
            case "watermark" -> d -> List.of(d.watermark());
            case "dimension values" -> d -> List.of(d.dimensionValues());
            default -> StoredBuckets.Document::dimensionValues;
        };
        Set<Object> distinct =
                documents.stream().flatMap(d -> values.apply(d).stream()).collect(Collectors.toSet());
        Set<Object> instances = Collections.newSetFromMap(new IdentityHashMap<>());
        documents.forEach(d -> instances.addAll(values.apply(d)));

        assertThat(documents).as("documents read").hasSizeGreaterThan(1_000);
        assertThat(distinct.size()).as("distinct %s values", field).isLessThan(documents.size() / 2);
        assertThat(instances).as("%s instances", field).hasSameSizeAs(distinct);
    }
}
