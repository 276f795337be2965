package io.sketchgate.hll;

import com.clearspring.analytics.stream.cardinality.HyperLogLogPlus;
import com.clearspring.analytics.stream.cardinality.RegisterSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * stream-lib's HLL++ estimate of dense registers.
 *
 * <p>stream-lib is the engine of record: its HLL++ estimator (raw estimate, empirical bias correction from Heule,
 * Nunkesser and Hall 2013 with its own tables, linear counting below the per-precision threshold) decides every
 * approximate count Sketchgate reports. Its public API cannot wrap existing registers: handing them over means
 * writing its serialized form, parsing it back into a {@link RegisterSet} (11 KB at p = 14) and, for estimates in the
 * bias range, building a {@code TreeMap} of about 200 boxed distances; 100–250 µs per estimate, and a UV answer asks
 * for one per row. {@link #estimate} therefore computes the same arithmetic in the same order directly on our byte
 * registers, reading stream-lib's own bias tables; {@link #estimateByStreamLib} is stream-lib itself, and
 * {@code StreamLibEstimatorTest} holds the two equal on every precision and across the whole range of cardinalities.
 */
final class StreamLibEstimator {

    private static final int STREAM_LIB_VERSION = 2;
    private static final int REGISTERS_PER_WORD = 6;
    /** How many nearest raw estimates stream-lib averages the bias of. */
    private static final int NEIGHBOURS = 6;

    private static final double[] THRESHOLDS = table("thresholdData");
    private static final double[][] RAW_ESTIMATES = table("rawEstimateData");
    private static final double[][] BIASES = table("biasData");

    /**
     * Per precision, whether its raw estimates strictly increase (all but p = 5 and 6): then the nearest ones lie
     * beside the estimate's place in the table, and {@link #bias} looks only there instead of at all 200.
     */
    private static final boolean[] INCREASING = increasing(RAW_ESTIMATES);

    /** How far the register sum is scaled up to be an integer: registers hold at most 31, so 2^-v is 2^(31-v) / 2^31. */
    private static final int SCALE = DenseRegisters.MAX_VALUE;
    /**
     * Per pair of registers {@code a | b << 5}: {@code 2^(31-a) + 2^(31-b)}, and from bit {@link #ZEROS_AT} how many of
     * the two are 0. One lookup adds two registers' terms and counts their zeros.
     */
    private static final long[] PAIRS = new long[1 << 10];

    private static final int ZEROS_AT = 48;
    /**
     * Registers summed into one packed sum before it is unpacked: 2^13 pairs add at most 2^45 (below bit 48) and
     * count at most 2^14 zeros (bits 48..62), so neither field overflows into the other or the sign.
     */
    private static final int CHUNK = 1 << 14;

    static {
        for (int a = 0; a <= SCALE; a++) {
            for (int b = 0; b <= SCALE; b++) {
                long zeros = (a == 0 ? 1 : 0) + (b == 0 ? 1 : 0);
                PAIRS[a | b << 5] = (zeros << ZEROS_AT) + (1L << (SCALE - a)) + (1L << (SCALE - b));
            }
        }
    }

    private StreamLibEstimator() {}

    static long estimate(byte[] registers, int precision) {
        return estimate(registers, precision, new int[1]);
    }

    /**
     * The estimate, and in {@code zerosOut[0]} the empty registers it counted on the way: a union's lower bound
     * needs them, and another pass over 2^p registers for that cost as much as the estimate itself.
     */
    static long estimate(byte[] registers, int precision, int[] zerosOut) {
        int m = 1 << precision;
        // stream-lib adds 2^-register one register at a time in doubles; here the same terms are integers (2^(31-v),
        // registers hold at most 31) added two registers a lookup. The sum is at most 2^18 * 2^31 = 2^49, within a
        // double's 53 bits, so stream-lib's every add was exact too, and scaling back gives its bits in any order
        long scaledSum = 0;
        int zeros = 0;
        for (int from = 0; from < m; from += CHUNK) {
            long packed = pairSums(registers, from, Math.min(m, from + CHUNK));
            scaledSum += packed & ((1L << ZEROS_AT) - 1);
            zeros += (int) (packed >>> ZEROS_AT);
        }
        double sum = Math.scalb((double) scaledSum, -SCALE);
        zerosOut[0] = zeros;
        long linearCounting = linearCounting(precision, zeros);
        if (linearCounting >= 0) {
            return linearCounting;
        }
        double estimate = alphaMM(precision, m) * (1 / sum);
        double estimatePrime = estimate;
        if (!(estimate > 5 * m)) {
            estimatePrime = estimate - bias(estimate, precision);
        }
        double linear = zeros > 0 ? m * Math.log(m / (double) zeros) : estimatePrime;
        boolean useLinear = precision <= 18 ? linear < THRESHOLDS[precision - 4] : !(estimate > 5 * m);
        return Math.round(useLinear ? linear : estimatePrime);
    }

    /**
     * The packed sum of {@link #PAIRS} over registers {@code [from, to)}: eight registers read as one long, four
     * independent running sums so that the adds do not wait on each other. {@code to - from} is a multiple of 8 (2^p,
     * p >= 4) and at most {@link #CHUNK}.
     */
    private static long pairSums(byte[] registers, int from, int to) {
        long sum0 = 0;
        long sum1 = 0;
        long sum2 = 0;
        long sum3 = 0;
        for (int j = from; j < to; j += 8) {
            long eight = (long) DenseRegisters.LONGS.get(registers, j);
            sum0 += PAIRS[(int) (eight & 0x1F) | (int) ((eight >>> 3) & 0x3E0)];
            sum1 += PAIRS[(int) ((eight >>> 16) & 0x1F) | (int) ((eight >>> 19) & 0x3E0)];
            sum2 += PAIRS[(int) ((eight >>> 32) & 0x1F) | (int) ((eight >>> 35) & 0x3E0)];
            sum3 += PAIRS[(int) ((eight >>> 48) & 0x1F) | (int) ((eight >>> 51) & 0x3E0)];
        }
        return (sum0 + sum1) + (sum2 + sum3);
    }

    /**
     * The estimate when stream-lib takes linear counting ({@code zeros} empty registers, and the linear count under
     * the precision's threshold), else -1. It needs no register values: a union that knows how many registers it
     * filled skips the pass over 2^p of them.
     */
    static long linearCounting(int precision, int zeros) {
        if (zeros <= 0 || precision > 18) {
            return -1;
        }
        int m = 1 << precision;
        double linear = m * Math.log(m / (double) zeros);
        return linear < THRESHOLDS[precision - 4] ? Math.round(linear) : -1;
    }

    /** stream-lib's own estimate: the registers handed over in its serialized form. */
    static long estimateByStreamLib(byte[] registers, int precision) {
        try {
            return HyperLogLogPlus.Builder.build(toStreamLibBytes(registers, precision))
                    .cardinality();
        } catch (IOException e) {
            throw new UncheckedIOException("stream-lib rejected registers it serialized itself", e);
        }
    }

    private static double alphaMM(int precision, int m) {
        double alpha = switch (precision) {
            case 4 -> 0.673;
            case 5 -> 0.697;
            case 6 -> 0.709;
            default -> 0.7213 / (1 + 1.079 / m);
        };
        return alpha * m * m;
    }

    /**
     * The mean bias of the {@value #NEIGHBOURS} raw estimates nearest to {@code estimate}, as stream-lib takes them:
     * distances {@code Math.pow(estimate - raw, 2)} keyed in a sorted map, so an equal distance keeps the later
     * index; fewer than six distinct distances leave index 0 in the remaining slots; the sum is divided by six.
     */
    static double bias(double estimate, int precision) {
        if (precision > 18) {
            return 0;
        }
        double[] raw = RAW_ESTIMATES[precision - 4];
        if (!INCREASING[precision - 4]) {
            return bias(estimate, precision, 0, raw.length);
        }
        // in a strictly increasing table, a raw estimate more than six places from the estimate's insertion point is
        // farther than the six on its own side, so it can be neither among the nearest nor tie the sixth
        int found = Arrays.binarySearch(raw, estimate);
        int insertion = found >= 0 ? found : -found - 1;
        return bias(
                estimate,
                precision,
                Math.max(0, insertion - NEIGHBOURS - 1),
                Math.min(raw.length, insertion + NEIGHBOURS + 1));
    }

    /** {@link #bias} over the raw estimates {@code [from, to)} only, in stream-lib's order and with its ties. */
    static double bias(double estimate, int precision, int from, int to) {
        double[] raw = RAW_ESTIMATES[precision - 4];
        double[] nearest = new double[NEIGHBOURS];
        int[] index = new int[NEIGHBOURS];
        int size = 0;
        for (int i = from; i < to; i++) {
            double distance = Math.pow(estimate - raw[i], 2.0);
            int at = 0;
            while (at < size && Double.compare(nearest[at], distance) < 0) {
                at++;
            }
            if (at < size && Double.compare(nearest[at], distance) == 0) {
                index[at] = i; // the map's put: an equal key takes the later value
                continue;
            }
            if (at == NEIGHBOURS) {
                continue;
            }
            int last = Math.min(size, NEIGHBOURS - 1);
            System.arraycopy(nearest, at, nearest, at + 1, last - at);
            System.arraycopy(index, at, index, at + 1, last - at);
            nearest[at] = distance;
            index[at] = i;
            size = Math.min(size + 1, NEIGHBOURS);
        }
        double[] biases = BIASES[precision - 4];
        double total = 0;
        for (int i : index) {
            total += biases[i];
        }
        return total / NEIGHBOURS;
    }

    /** Raw estimate tables the search beside an insertion point may be used for. */
    static boolean increasing(int precision) {
        return precision <= 18 && INCREASING[precision - 4];
    }

    private static boolean[] increasing(double[][] tables) {
        boolean[] increasing = new boolean[tables.length];
        for (int t = 0; t < tables.length; t++) {
            increasing[t] = tables[t].length > 2 * NEIGHBOURS + 2;
            for (int i = 1; i < tables[t].length && increasing[t]; i++) {
                increasing[t] = tables[t][i] > tables[t][i - 1];
            }
        }
        return increasing;
    }

    private static <T> T table(String name) {
        try {
            Field field = HyperLogLogPlus.class.getDeclaredField(name);
            field.setAccessible(true);
            @SuppressWarnings("unchecked")
            T value = (T) field.get(null);
            return value;
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("stream-lib's HyperLogLogPlus has no table " + name + ": " + e);
        }
    }

    static byte[] toStreamLibBytes(byte[] registers, int precision) {
        int count = 1 << precision;
        int words = RegisterSet.getSizeForCount(count);
        ByteBuffer out = ByteBuffer.allocate(4 + 4 * 5 + 4 * words);
        out.putInt(-STREAM_LIB_VERSION);
        putVarint(out, precision);
        putVarint(out, 0);
        putVarint(out, 0);
        putVarint(out, 4 * words);
        for (int w = 0; w < words; w++) {
            int word = 0;
            int base = w * REGISTERS_PER_WORD;
            for (int slot = 0; slot < REGISTERS_PER_WORD && base + slot < count; slot++) {
                word |= registers[base + slot] << (RegisterSet.REGISTER_SIZE * slot);
            }
            out.putInt(word);
        }
        byte[] bytes = new byte[out.position()];
        out.flip();
        out.get(bytes);
        return bytes;
    }

    private static void putVarint(ByteBuffer out, int value) {
        while ((value & ~0x7f) != 0) {
            out.put((byte) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }
}
