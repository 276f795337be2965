package io.sketchgate.uniques;

import java.time.Instant;
import java.util.Map;

/**
 * Relative error |answer − truth| / truth over a question's buckets. A bucket the answer lacks counts as 0
 * (error 100 %); a bucket the truth lacks is an error too, as it cannot have users.
 */
record AnswerErrors(double max, double mean, int buckets) {

    static AnswerErrors of(Map<Instant, Long> truth, Map<Instant, Long> answer) {
        double max = 0;
        double sum = 0;
        for (Map.Entry<Instant, Long> bucket : truth.entrySet()) {
            long expected = bucket.getValue();
            long actual = answer.getOrDefault(bucket.getKey(), 0L);
            double error = expected == 0 ? (actual == 0 ? 0 : 1) : Math.abs(actual - expected) / (double) expected;
            max = Math.max(max, error);
            sum += error;
        }
        for (Instant key : answer.keySet()) {
            if (!truth.containsKey(key)) {
                throw new IllegalStateException("answer has a bucket " + key + " outside the question: " + answer);
            }
        }
        return new AnswerErrors(max, truth.isEmpty() ? 0 : sum / truth.size(), truth.size());
    }
}
