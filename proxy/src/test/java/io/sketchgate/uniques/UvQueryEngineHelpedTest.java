package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.EdgeReads;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A large question counted with a pool thread's help ({@link HelpedWork}) answers exactly as one counted on one
 * thread: every row, total and statistic, for questions whose covers are split into two runs and for one whose single
 * cover's pieces are.
 */
@RealElasticsearch
class UvQueryEngineHelpedTest {
    private static final Instant START = Instant.parse("2025-01-10T05:17:00Z");

    private static UvFixture DATA;
    private static RestClient client;
    private static ExecutorService pool;

    @BeforeAll
    static void load(TestElasticsearch es) throws Exception {
        DATA = UvFixture.shared(es);
        client = es.client();
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    enum Shape {
        /** 40 days from 05:17 UTC, split by country: many covers, each of cut granules and whole ones. */
        DAILY_SPLIT {
            @Override
            UvQuestion question() {
                return daily(40, List.of("country"), Map.of(), UvQuestion.RowSelection.ALL);
            }
        },
        /** The three countries with most users over 30 days: the totals first, then the picked ones' days. */
        TOP_THREE {
            @Override
            UvQuestion question() {
                return daily(30, List.of("country"), Map.of(), top(3));
            }
        },
        /** Mobile users by device and country, daily over 20 days. */
        FILTERED_SPLIT {
            @Override
            UvQuestion question() {
                return daily(20, List.of("device", "country"), Map.of("device", Set.of("mobile")), top(100));
            }
        },
        /** One total over 50 days and some hours: one cover, its pieces split in two. */
        ONE_TOTAL {
            @Override
            UvQuestion question() {
                Instant to = START.plus(Duration.ofDays(50)).plus(Duration.ofHours(7));
                return new UvQuestion(
                        DATA.definition,
                        START,
                        to,
                        List.of(new UvQuestion.TimeSlice(START, to)),
                        Map.of(),
                        List.of("country"));
            }
        };

        abstract UvQuestion question();
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void helpedOnTheCallingThread_answersAsCountedAlone(Shape shape) throws Exception {
        AtomicInteger offered = new AtomicInteger();
        UvQueryEngine alone = engine(Runnable::run, Integer.MAX_VALUE);
        UvQueryEngine helped = engine(
                task -> {
                    offered.incrementAndGet();
                    task.run(); // the offered part first, then the caller's
                },
                0);

        UvAnswer expected = alone.answerNow(shape.question());
        UvAnswer actual = helped.answerNow(shape.question());

        assertThat(offered).as("parts offered to the pool").hasPositiveValue();
        assertSameAnswer(actual, expected);
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void helpedByAPoolThread_answersAsCountedAlone(Shape shape) throws Exception {
        UvAnswer expected = engine(Runnable::run, Integer.MAX_VALUE).answerNow(shape.question());

        UvAnswer actual = engine(pool, 0).answerNow(shape.question());

        assertSameAnswer(actual, expected);
    }

    private static void assertSameAnswer(UvAnswer actual, UvAnswer expected) {
        assertThat(expected.rows()).as("the question has rows to compare").hasSizeGreaterThan(10);
        assertThat(actual.rows()).isEqualTo(expected.rows());
        assertThat(actual.totals()).isEqualTo(expected.totals());
        assertThat(actual.overall()).isEqualTo(expected.overall());
        assertThat(actual.stats().sketchesMerged()).isEqualTo(expected.stats().sketchesMerged());
        assertThat(actual.stats().storedBuckets()).isEqualTo(expected.stats().storedBuckets());
        assertThat(actual.stats().edgeSlices()).isEqualTo(expected.stats().edgeSlices());
    }

    private static UvQueryEngine engine(Executor executor, int helpedDocuments) {
        BucketCatalogue catalogue = new BucketCatalogue(
                client, new SketchCache(SketchCache.DEFAULT_MAX_BYTES), Duration.ZERO, 0, Clock.systemUTC());
        return new UvQueryEngine(client, RealtimeSketches.NONE, catalogue, executor, helpedDocuments);
    }

    private static UvQuestion daily(
            int days, List<String> split, Map<String, Set<String>> filters, UvQuestion.RowSelection rows) {
        List<UvQuestion.TimeSlice> slices = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            slices.add(new UvQuestion.TimeSlice(START.plus(Duration.ofDays(i)), START.plus(Duration.ofDays(i + 1))));
        }
        return new UvQuestion(
                DATA.definition,
                START,
                slices.get(days - 1).end(),
                slices,
                filters,
                split,
                UvQuestion.Measure.UV_AND_PV,
                rows,
                EdgeReads.FINE);
    }

    /** The {@code n} combinations with most users over the whole range. */
    private static UvQuestion.RowSelection top(int n) {
        return totals -> {
            Set<Map<String, String>> picked = totals.stream()
                    .sorted(Comparator.comparingLong(
                                    (UvAnswer.Row row) -> row.count().uv())
                            .reversed())
                    .limit(n)
                    .map(UvAnswer.Row::split)
                    .collect(Collectors.toSet());
            return picked::contains;
        };
    }
}
