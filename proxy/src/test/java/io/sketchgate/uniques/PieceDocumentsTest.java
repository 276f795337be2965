package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.testing.TestDefinitions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PieceDocumentsTest {
    private static final Instant START = Instant.parse("2026-09-01T00:00:00Z");
    private static final List<String> COUNTRIES = List.of("DE", "FR", "KR");
    private static final List<String> DEVICES = List.of("mobile", "desktop");

    /** Every subset of (country, device) for one piece: root, by country, by device, by both. */
    private static PieceDocuments everySubset() {
        PieceDocuments piece = new PieceDocuments(2);
        List<String> countries = new ArrayList<>(COUNTRIES);
        countries.add(BucketKey.ALL);
        List<String> devices = new ArrayList<>(DEVICES);
        devices.add(BucketKey.ALL);
        for (String country : countries) {
            for (String device : devices) {
                piece.put(document(List.of(country, device), 1, 1));
            }
        }
        return piece;
    }

    @Test
    void groupsTheDocumentsByDimensionSubset() {
        PieceDocuments piece = everySubset();

        assertThat(values(piece.ofSubset(0b01)))
                .as("keeps the country only: one document per country")
                .containsExactlyInAnyOrder(
                        List.of("DE", BucketKey.ALL), List.of("FR", BucketKey.ALL), List.of("KR", BucketKey.ALL));
        assertThat(values(piece.ofSubset(0b10)))
                .containsExactlyInAnyOrder(List.of(BucketKey.ALL, "mobile"), List.of(BucketKey.ALL, "desktop"));
        assertThat(values(piece.ofSubset(0b00))).containsExactly(List.of(BucketKey.ALL, BucketKey.ALL));
        assertThat(piece.ofSubset(0b11)).hasSize(6);
        assertThat(piece.all()).hasSize(12);
    }

    @Test
    void theSameWriteReadAgain_keepsTheHeldDocument_andTheSketchItFound() {
        PieceDocuments piece = everySubset();
        List<String> germany = List.of("DE", BucketKey.ALL);
        StoredBuckets.Document held = document(germany, 5, 1);
        piece.put(held);

        PieceDocuments.Put again = piece.put(document(germany, 5, 1)); // a refresh's overlap reads it again

        assertThat(again.taken()).isFalse();
        assertThat(piece.get(germany)).isSameAs(held);
        assertThat(piece.ofSubset(0b01))
                .filteredOn(d -> d.dimensionValues().equals(germany))
                .containsExactly(held);
    }

    @Test
    void aLaterWriteReplacesItsDocumentInItsGroup_anEarlierOneIsIgnored() {
        PieceDocuments piece = everySubset();
        List<String> germany = List.of("DE", BucketKey.ALL);

        PieceDocuments.Put later = piece.put(document(germany, 5, 1));
        PieceDocuments.Put earlier = piece.put(document(germany, 3, 1));

        assertThat(later.taken()).isTrue();
        assertThat(later.before().seqNo()).isEqualTo(1);
        assertThat(earlier.taken()).isFalse();
        assertThat(piece.get(germany).seqNo()).isEqualTo(5);
        assertThat(piece.ofSubset(0b01))
                .hasSize(3)
                .filteredOn(d -> d.dimensionValues().equals(germany))
                .singleElement()
                .extracting(StoredBuckets.Document::seqNo)
                .isEqualTo(5L);
        assertThat(piece.put(document(germany, 2, 2)).taken())
                .as("a newer primary term wins over a higher sequence number")
                .isTrue();
        assertThat(piece.ofSubset(0b01)).hasSize(3);
    }

    @Test
    void aSelectionReadsTheSubsetKeepingItsSplitAndFilteredDimensions() {
        UniqueCountDefinition definition = definition();

        assertThat(new DimensionSelection(definition, List.of("country"), Map.of()).storedSubset())
                .hasValue(0b01);
        assertThat(new DimensionSelection(definition, List.of(), Map.of("device", Set.of("mobile"))).storedSubset())
                .hasValue(0b10);
        assertThat(new DimensionSelection(definition, List.of("device"), Map.of("country", Set.of("DE")))
                        .storedSubset())
                .hasValue(0b11);
        assertThat(new DimensionSelection(definition, List.of(), Map.of()).storedSubset())
                .hasValue(0b00);
        assertThat(new DimensionSelection(definition, List.of(), Map.of("country", Set.of(BucketKey.ALL, "DE")))
                        .storedSubset())
                .as("a filter naming the roll-up value matches documents of two subsets: walk them all")
                .isEmpty();
    }

    @Test
    void theGroupMatchesWhatTheSelectionMatchesAmongEveryDocument() {
        PieceDocuments piece = everySubset();
        UniqueCountDefinition definition = definition();
        List<DimensionSelection> selections = List.of(
                new DimensionSelection(definition, List.of("country"), Map.of()),
                new DimensionSelection(definition, List.of("device"), Map.of()),
                new DimensionSelection(definition, List.of("country", "device"), Map.of()),
                new DimensionSelection(definition, List.of("device"), Map.of("country", Set.of("DE", "KR"))),
                new DimensionSelection(definition, List.of(), Map.of("device", Set.of("mobile"))));
        for (DimensionSelection selection : selections) {
            List<StoredBuckets.Document> matching = piece.all().stream()
                    .filter(d -> selection.matchesStored(d.dimensionValues()))
                    .toList();
            assertThat(piece.ofSubset(selection.storedSubset().orElseThrow()))
                    .as("split %s, filters %s", selection.split(), selection.filters())
                    .containsAll(matching);
            assertThat(Arrays.stream(piece.ofSubset(selection.storedSubset().orElseThrow()))
                            .filter(d -> selection.passesFilters(d.dimensionValues())))
                    .as(
                            "its subset's documents past the filters: split %s, filters %s",
                            selection.split(), selection.filters())
                    .containsExactlyInAnyOrderElementsOf(matching);
        }
    }

    private static List<List<String>> values(StoredBuckets.Document[] documents) {
        return Arrays.stream(documents)
                .map(StoredBuckets.Document::dimensionValues)
                .toList();
    }

    private static UniqueCountDefinition definition() {
        return TestDefinitions.definition(
                "web",
                "logs-*",
                "@timestamp",
                "user_id",
                List.of("country", "device"),
                Duration.ofHours(1),
                List.of(ZoneOffset.UTC),
                14,
                Duration.ofMinutes(5),
                1_024);
    }

    private static StoredBuckets.Document document(List<String> values, long seqNo, long primaryTerm) {
        return new StoredBuckets.Document(
                "1h-" + String.join("-", values),
                seqNo,
                primaryTerm,
                "1h",
                "UTC",
                START,
                values,
                10,
                20,
                true,
                START.plus(Duration.ofHours(1)),
                PageViewSteps.NONE,
                EventMillis.NONE,
                new SketchSlot());
    }
}
