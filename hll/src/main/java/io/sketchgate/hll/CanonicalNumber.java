package io.sketchgate.hll;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The one decimal spelling of a number that Sketchgate hashes.
 *
 * <p>Elasticsearch hands the same {@code user_id} to us as {@code 42}, {@code 42.0} or
 * {@code "42"} depending on the path (doc values, {@code _source}, a keyword field), so the
 * number is hashed as a string in a form every path can reproduce:
 *
 * <ul>
 *   <li>an integer (any {@code long}) is its {@link Long#toString(long)}: {@code 42},
 *       {@code -7}, {@code 0} — no sign for positives, no leading zeros, no {@code .0};
 *   <li>a double is the shortest decimal that reads back to the same double (fewest
 *       significant digits, nearest to the exact binary value when several have that many
 *       digits), written in plain notation without exponent and without trailing zeros:
 *       {@code 1.5}, {@code 0.1}, {@code -0.000123}, {@code 100000000000000000000}. An integral
 *       double is therefore spelled exactly like the long: {@code 42.0} hashes as {@code 42};
 *       {@code -0.0} is {@code 0}. NaN and infinities are not values and are rejected.
 * </ul>
 *
 * <p>The double rule is computed with exact {@link BigDecimal} arithmetic, not with
 * {@link Double#toString(double)}, whose output changed between JDK 17 and 19 (JDK-4511638);
 * a hash that depended on the JDK would not be stable forever.
 */
final class CanonicalNumber {

    /** 17 significant digits always round-trip an IEEE 754 double. */
    private static final int MAX_DIGITS = 17;

    private CanonicalNumber() {}

    static String of(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("cannot hash a non-finite number: " + value);
        }
        if (value == 0) {
            return "0";
        }
        if (value == Math.rint(value) && Math.abs(value) < 0x1p63) {
            return Long.toString((long) value);
        }
        BigDecimal exact = new BigDecimal(value);
        for (int digits = 1; digits < MAX_DIGITS; digits++) {
            BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (rounded.doubleValue() == value) {
                return plain(rounded);
            }
        }
        return plain(exact.round(new MathContext(MAX_DIGITS, RoundingMode.HALF_EVEN)));
    }

    private static String plain(BigDecimal decimal) {
        return decimal.stripTrailingZeros().toPlainString();
    }
}
