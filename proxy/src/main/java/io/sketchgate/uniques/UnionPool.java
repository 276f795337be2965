package io.sketchgate.uniques;

import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.Union;
import java.util.ArrayDeque;

/**
 * Unions a question borrows for its counts ({@link CountBuilder}) and gives back once its rows are built, per thread.
 *
 * <p>Why: a union that goes past its exact limit allocates 2^p bytes of registers (16 KB at p = 14), and a daily
 * question split by country makes one per day and country. Those registers, with the unions' lists and exact sets,
 * were half of what a question allocated (JFR at 5M events), so they set how often the young generation filled and
 * a question waited behind a collection. A union given back is {@link Union#reset() reset}, which keeps its
 * buffers for the next question.
 *
 * <p>Only unions nothing can read any more may be given back: a given union is lent again, and a reader left
 * holding it would see another question's values. Borrowing and giving are plain thread-local operations; a union
 * borrowed on one thread and given on another moves to that thread's pool. Each thread keeps unions whose buffers
 * add up to at most {@link #KEPT_BYTES_PER_THREAD} (they live in the old generation, where every megabyte lengthens
 * each young pause a little: about 16 ms a gigabyte here); more given back are left to the collector.
 */
final class UnionPool {
    /** 16 MB: a thousand unions of registers alone at p = 14, or 250 with a full exact set and list beside them. */
    static final long KEPT_BYTES_PER_THREAD = 16L << 20;

    private static final ThreadLocal<UnionPool> POOLS = ThreadLocal.withInitial(UnionPool::new);

    /** Kept unions per precision, each of the default exact limit. */
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Union>[] kept = new ArrayDeque[HllSketch.MAX_PRECISION + 1];

    private long keptBytes;

    private UnionPool() {}

    /** An empty union of {@code precision} and the default exact limit: a kept one, or a new one. */
    static Union borrow(int precision) {
        UnionPool pool = POOLS.get();
        ArrayDeque<Union> unions = pool.kept[precision];
        Union union = unions == null ? null : unions.pollLast();
        if (union == null) {
            return new Union(precision);
        }
        pool.keptBytes -= union.retainedBytes();
        return union;
    }

    /** Gives {@code union} back, emptied, to be lent again; the caller and every reader must be done with it. */
    static void giveBack(Union union) {
        if (union.exactLimit() != HllSketch.DEFAULT_EXACT_LIMIT) {
            return;
        }
        union.reset(); // its initial precision again
        UnionPool pool = POOLS.get();
        long bytes = union.retainedBytes();
        if (pool.keptBytes + bytes > KEPT_BYTES_PER_THREAD) {
            return;
        }
        int precision = union.precision();
        if (pool.kept[precision] == null) {
            pool.kept[precision] = new ArrayDeque<>();
        }
        pool.kept[precision].addLast(union);
        pool.keptBytes += bytes;
    }

    /** How many unions of {@code precision} this thread keeps; for tests. */
    static int keptHere(int precision) {
        ArrayDeque<Union> unions = POOLS.get().kept[precision];
        return unions == null ? 0 : unions.size();
    }

    /** The bytes of the unions this thread keeps; for tests. */
    static long keptBytesHere() {
        return POOLS.get().keptBytes;
    }
}
