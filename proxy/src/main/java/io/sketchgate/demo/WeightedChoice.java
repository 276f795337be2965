package io.sketchgate.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Picks one of a few values with fixed weights (countries, devices, status codes). */
final class WeightedChoice<T> {

    private final List<T> values;
    private final double[] cdf;

    /** Iteration order of {@code weights} is the order values are laid out in the CDF, so pass a LinkedHashMap. */
    WeightedChoice(LinkedHashMap<T, Double> weights) {
        values = new ArrayList<>(weights.keySet());
        cdf = new double[values.size()];
        double sum = 0;
        int i = 0;
        for (Map.Entry<T, Double> entry : weights.entrySet()) {
            sum += entry.getValue();
            cdf[i++] = sum;
        }
        for (i = 0; i < cdf.length; i++) {
            cdf[i] /= sum;
        }
        cdf[cdf.length - 1] = 1.0;
    }

    /** {@code uniform} in [0, 1). */
    T pick(double uniform) {
        for (int i = 0; i < cdf.length; i++) {
            if (uniform < cdf[i]) {
                return values.get(i);
            }
        }
        return values.get(values.size() - 1);
    }

    List<T> values() {
        return List.copyOf(values);
    }
}
