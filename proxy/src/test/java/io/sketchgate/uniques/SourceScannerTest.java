package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import io.sketchgate.transport.RecordingServer;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The source's rows read page by page, blocking or not, from a real node; a stand-in upstream injects a failure. */
@RealElasticsearch
class SourceScannerTest {
    private static UvFixture DATA;
    private static RestClient client;

    @BeforeAll
    static void load(TestElasticsearch es) throws Exception {
        DATA = UvFixture.shared(es);
        client = es.client();
    }

    @Test
    void readWithoutBlocking_pageAfterPage_givesTheRowsOfTheBlockingRead() throws Exception {
        Instant from = UvFixture.PRECOMPUTED_TO.minus(Duration.ofDays(2)).plusSeconds(37 * 60 + 12);
        List<Instant[]> ranges = List.of(new Instant[] {from, from.plus(Duration.ofMinutes(20))}, new Instant[] {
            from.plus(Duration.ofHours(30)), from.plus(Duration.ofHours(30)).plusSeconds(50)
        });
        AtomicLong blockingSent = new AtomicLong();
        AtomicLong asyncSent = new AtomicLong();
        // three rows a page: the two ranges' events by country fill several pages
        SourceScanner blocking =
                new SourceScanner(client, DATA.definition, List.of("country"), Map.of(), false, 3, blockingSent);
        SourceScanner async =
                new SourceScanner(client, DATA.definition, List.of("country"), Map.of(), false, 3, asyncSent);
        List<String> expected = new ArrayList<>();
        blocking.scan(
                ranges,
                (granule, values, hasValue, hash, events) -> expected.add(granule + " " + values[0] + " " + events));
        List<String> read = new ArrayList<>();

        async.scanAsync(
                        ranges,
                        (granule, values, hasValue, hash, events) -> read.add(granule + " " + values[0] + " " + events))
                .get(1, TimeUnit.MINUTES);

        assertThat(expected).as("rows of both cuts, more than a page").hasSizeGreaterThan(3);
        assertThat(read).isEqualTo(expected);
        assertThat(asyncSent.get())
                .as("one search a page")
                .isEqualTo(blockingSent.get())
                .isGreaterThan(1);
        assertThat(async.requests()).isEqualTo(asyncSent.get());
    }

    @Test
    void aFailedPage_failsTheRead() throws Exception {
        try (RecordingServer upstream = new RecordingServer();
                RestClient failing = RestClient.builder(
                                HttpHost.create(upstream.uri().toString()))
                        .build()) {
            upstream.on(
                    "/",
                    exchange -> RecordingServer.respond(
                            exchange,
                            503,
                            "{\"error\":\"unavailable\"}".getBytes(StandardCharsets.UTF_8),
                            Map.of("Content-Type", "application/json")));
            SourceScanner scanner = new SourceScanner(
                    failing, DATA.definition, List.of("device"), Map.of(), false, 3, new AtomicLong());
            Instant from = UvFixture.PRECOMPUTED_TO.minus(Duration.ofDays(1));

            assertThatThrownBy(() -> scanner.scanAsync(
                                    List.<Instant[]>of(new Instant[] {from, from.plusSeconds(30)}),
                                    (granule, values, hasValue, hash, events) -> {})
                            .join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(UncheckedIOException.class)
                    .hasStackTraceContaining("503");
        }
    }
}
