package io.sketchgate.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.uniques.GcPauses;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KibanaRewriteBenchmarkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pageViews_areComparedOnTheTotalAndEveryBucketBothAnswersHold() throws Exception {
        String elasticsearch = """
                {"hits":{"total":{"value":30,"relation":"eq"}},"aggregations":{"0":{"buckets":[
                  {"key":"KR","doc_count":20,"1":{"buckets":[{"key":1,"doc_count":12},{"key":2,"doc_count":8}]}},
                  {"key":"US","doc_count":10,"1":{"buckets":[{"key":1,"doc_count":10}]}}]}}}""";
        String sketchgate = """
                {"hits":{"total":{"value":30,"relation":"eq"}},"aggregations":{"0":{"buckets":[
                  {"key":"KR","doc_count":20,"1":{"buckets":[{"key":1,"doc_count":11},{"key":2,"doc_count":8}]}},
                  {"key":"JP","doc_count":10,"1":{"buckets":[{"key":1,"doc_count":10}]}}]}}}""";
        long[] counts = new long[2];

        KibanaRewriteBenchmark.comparePageViews(JSON.readTree(elasticsearch), JSON.readTree(sketchgate), counts);

        assertThat(counts[0]).as("the total, KR and its two days; not US or JP").isEqualTo(4);
        assertThat(counts[1]).as("KR's first day").isEqualTo(1);
    }

    @Test
    void uniqueCounts_areComparedOnEveryMetricBothAnswersHold_relativeToElasticsearchs() throws Exception {
        String elasticsearch = """
                {"aggregations":{"0":{"buckets":[
                  {"key":"KR","doc_count":20,"2":{"value":200},"1":{"buckets":[{"key":1,"doc_count":12,"2":{"value":100}},
                   {"key":2,"doc_count":8,"2":{"value":0}}]}},
                  {"key":"US","doc_count":10,"2":{"value":50}}]}}}""";
        String sketchgate = """
                {"aggregations":{"0":{"buckets":[
                  {"key":"KR","doc_count":20,"2":{"value":202},"1":{"buckets":[{"key":1,"doc_count":12,"2":{"value":99}},
                   {"key":2,"doc_count":8,"2":{"value":0}}]}},
                  {"key":"JP","doc_count":10,"2":{"value":50}}]}}}""";
        java.util.List<Double> differences = new java.util.ArrayList<>();

        KibanaRewriteBenchmark.compareUniqueCounts(
                JSON.readTree(elasticsearch), JSON.readTree(sketchgate), differences);

        assertThat(differences)
                .as("KR's total and its two days, relative to Elasticsearch's; not US or JP")
                .containsExactlyInAnyOrder(0.01, 0.01, 0.0);
    }

    @Test
    void aChartBehindAPause_isCounted_andTheSlowestBehindNoneIsTheProxysOwnWorst() {
        // one young pause of 21.2 ms, from 18:25:41.0788 to 18:25:41.100
        GcPauses pauses = GcPauses.parse(List.of(
                "[2026-12-07T18:25:41.100+0000] GC(7) Pause Young (Allocation Failure) 24M->2M(252M) 21.200ms"));
        Instant[] sentAt = {
            Instant.parse("2026-12-07T18:25:41.050Z"), // 40 ms: ends inside the pause
            Instant.parse("2026-12-07T18:25:41.090Z"), // 25 ms: sent during it
            Instant.parse("2026-12-07T18:25:41.101Z"), // 9 ms: after it
            Instant.parse("2026-12-07T18:25:41.000Z") // 6 ms: before it
        };
        double[] millis = {40, 25, 9, 6};

        KibanaRewriteBenchmark.ChartPauses charts = KibanaRewriteBenchmark.pauses(pauses, sentAt, millis);

        assertThat(charts.answersBehindPause()).isEqualTo(2);
        assertThat(charts.slowestBehindNoneMs()).isEqualTo(9);
        assertThat(charts.summary()).isEqualTo("1 Pause Young (p50 21.2 ms, max 21.2 ms)");
    }
}
