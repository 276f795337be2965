package io.sketchgate.esapi;

import java.math.BigInteger;
import java.time.Instant;

/**
 * {@code epoch_millis} and {@code epoch_second}: an optional {@code -}, 1 to 19 digits that fit a {@code long}, and
 * an optional {@code .} with up to 6 (millis) or 9 (seconds) fraction digits.
 *
 * <p>Round-up follows Elasticsearch's {@code EpochTime} to the nanosecond, quirks included: without a fraction,
 * {@code epoch_millis} adds 999,999 ns away from zero (so {@code lte: -1000} ends at -1001 ms after truncation), and
 * {@code epoch_second} adds 999,999,999 ns towards the future ({@code lte: 1000} ends at 1000.999 s).
 */
public final class EpochDateFormat implements DateFormat {
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final String pattern;
    private final boolean seconds;

    private EpochDateFormat(String pattern, boolean seconds) {
        this.pattern = pattern;
        this.seconds = seconds;
    }

    public static EpochDateFormat millis() {
        return new EpochDateFormat("epoch_millis", false);
    }

    static EpochDateFormat seconds() {
        return new EpochDateFormat("epoch_second", true);
    }

    @Override
    public String pattern() {
        return pattern;
    }

    @Override
    public ParsedDate parse(String text, boolean roundUp) {
        boolean negative = text.startsWith("-");
        int pos = negative ? 1 : 0;
        int digitsStart = pos;
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
        int digitCount = pos - digitsStart;
        if (digitCount == 0 || digitCount > 19) {
            return null;
        }
        BigInteger whole = new BigInteger(text.substring(digitsStart, pos));
        if (whole.compareTo(LONG_MAX) > 0) {
            return null;
        }
        long value = whole.longValueExact();
        boolean hasFraction = false;
        long fractionNanos = 0;
        if (pos < text.length()) {
            if (text.charAt(pos) != '.') {
                return null;
            }
            hasFraction = true;
            pos++;
            int maxDigits = seconds ? 9 : 6;
            int fractionStart = pos;
            while (pos < text.length() && isDigit(text.charAt(pos)) && pos - fractionStart < maxDigits) {
                pos++;
            }
            if (pos != text.length()) {
                return null;
            }
            String fraction = text.substring(fractionStart, pos);
            if (!fraction.isEmpty()) {
                fractionNanos = Long.parseLong((fraction + "000000000").substring(0, maxDigits));
            }
        }
        try {
            return ParsedDate.ofEpoch(
                    seconds
                            ? secondsInstant(negative, value, hasFraction, fractionNanos, roundUp)
                            : millisInstant(negative, value, hasFraction, fractionNanos, roundUp));
        } catch (java.time.DateTimeException | ArithmeticException e) {
            // beyond java.time's range: Elasticsearch's parser fails to resolve it, so the text does not match
            return null;
        }
    }

    private static Instant millisInstant(
            boolean negative, long millis, boolean hasFraction, long nanosOfMilli, boolean roundUp) {
        long extraNanos = hasFraction ? nanosOfMilli : (roundUp ? 999_999 : 0);
        return negative
                ? Instant.ofEpochMilli(-millis).minusNanos(extraNanos)
                : Instant.ofEpochMilli(millis).plusNanos(extraNanos);
    }

    private static Instant secondsInstant(
            boolean negative, long secs, boolean hasFraction, long nanosOfSecond, boolean roundUp) {
        if (hasFraction) {
            return negative
                    ? Instant.ofEpochSecond(-secs).minusNanos(nanosOfSecond)
                    : Instant.ofEpochSecond(secs).plusNanos(nanosOfSecond);
        }
        // the round-up default sets the nano-of-second field, which is added after the sign is applied
        return Instant.ofEpochSecond(negative ? -secs : secs).plusNanos(roundUp ? 999_999_999 : 0);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
