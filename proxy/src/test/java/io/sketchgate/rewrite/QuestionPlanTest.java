package io.sketchgate.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.EdgeReads;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.uniques.UvAnswer;
import io.sketchgate.uniques.UvCount;
import io.sketchgate.uniques.UvQuestion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** How a rewritten search becomes engine questions: one per chart where one answers every number. */
class QuestionPlanTest {
    private static final UniqueCountDefinition DEFINITION = TestEvents.definition("logs-*");

    private static QuestionPlan plan(String name) {
        return plan(DEFINITION, name);
    }

    private static QuestionPlan plan(UniqueCountDefinition definition, String name) {
        RequestFamily.Variant variant = RequestFamily.all().stream()
                .filter(v -> v.name().equals(name))
                .findFirst()
                .orElseThrow();
        RewriteMatcher.Decision decision = RewriteMatcher.match(
                definition, RewriteMatcher.Endpoint.SEARCH, variant.parameters(), null, variant.body());
        return new QuestionPlan(((RewriteMatcher.Rewrite) decision).plan());
    }

    @Test
    void lensDailyUniqueCount_isOneQuestion_whoseOverallIsTheRoot() {
        QuestionPlan plan = plan("lens_daily_unique_count_30d");

        assertThat(plan.questions()).hasSize(1);
        UvQuestion question = plan.questions().values().iterator().next();
        assertThat(question.slices()).hasSizeGreaterThan(28);
        assertThat(question.measure())
                .as("each day's UV; of the whole range only the events (hits.total)")
                .isEqualTo(UvQuestion.Measure.SLICE_UV);
        assertThat(plan.askedFor(plan.root))
                .isEqualTo(plan.questions().keySet().iterator().next());
    }

    @Test
    void questions_readTheirEdgesAsTheDefinitionsKibanaEdgesSays() {
        assertThat(plan("lens_daily_unique_count_30d").questions().values())
                .extracting(UvQuestion::edges)
                .containsOnly(EdgeReads.FINE);
        assertThat(plan(DEFINITION.withKibanaEdges(EdgeReads.EXACT), "lens_daily_unique_count_30d")
                        .questions()
                        .values())
                .extracting(UvQuestion::edges)
                .containsOnly(EdgeReads.EXACT);
    }

    @Test
    void lensTop5TermsOverTime_isOneQuestion_withRowsOnlyForTheFiveTermsShown() {
        QuestionPlan plan = plan("lens_unique_count_by_top5_terms_30d");

        assertThat(plan.questions()).hasSize(1);
        UvQuestion question = plan.questions().values().iterator().next();
        assertThat(question.split()).containsExactly(TestEvents.COUNTRY);
        assertThat(question.slices()).isNotEmpty();
        assertThat(question.measure())
                .as("the terms are ranked by their UV over the whole range: the totals' UV is read")
                .isEqualTo(UvQuestion.Measure.UV_AND_PV);
        List<UvAnswer.Row> totals = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            long users = 1000 - 10L * i;
            totals.add(new UvAnswer.Row(
                    Optional.empty(),
                    Map.of(TestEvents.COUNTRY, String.format("C%02d", i)),
                    UvCount.exact(users, 3 * users, UvCount.DataSource.BATCH)));
        }
        Predicate<Map<String, String>> rows = question.rows().select(totals);
        assertThat(totals.stream()
                        .filter(t -> rows.test(t.split()))
                        .map(t -> t.split().get(TestEvents.COUNTRY)))
                .containsExactly("C00", "C01", "C02", "C03", "C04");
    }

    @Test
    void termsBelowAHistogram_rankPerBucket_soEveryRowIsAsked() {
        QuestionPlan plan = plan("two dimensions with terms order by key");

        assertThat(plan.questions()).as("the root folds into the first split").hasSize(2);
        for (UvQuestion question : plan.questions().values()) {
            assertThat(question.rows()).isSameAs(UvQuestion.RowSelection.ALL);
        }
    }

    @Test
    void histogramShowingOnlyDocCounts_isAskedForPageViewsOnly() {
        QuestionPlan plan = plan("filter agg under histogram, hard bounds");

        assertThat(plan.questions().values())
                .extracting(UvQuestion::measure, q -> q.filters().isEmpty())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(UvQuestion.Measure.PV_ONLY, true),
                        org.assertj.core.groups.Tuple.tuple(UvQuestion.Measure.SLICE_UV, false));
    }

    @Test
    void aTopLevelCardinality_readsTheOverallUv() {
        QuestionPlan plan = plan("two top-level metrics and a histogram");

        assertThat(plan.questions().values())
                .extracting(UvQuestion::measure)
                .containsExactly(UvQuestion.Measure.UV_AND_PV);
    }
}
