package io.sketchgate.uniques;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a sequence of time ranges with a {@link SourceScanner} on a background thread, a bounded distance ahead
 * of the consumer: while the precompute job accumulates one page of rows, Elasticsearch already answers the
 * next composite page (also across ranges). Rows are handed over in chunks of at most {@code chunkRows}; at
 * most {@code 2} chunks wait in the queue, so memory holds about three pages of rows whatever the data size.
 *
 * <p>The consumer reads the ranges in the order given, each with {@link #read}; a scan failure is rethrown
 * there. {@link #close} stops the reader.
 */
final class ScanAhead implements AutoCloseable {

    /** A chunk of rows of one range; {@code last} marks the range's end, {@code failure} a failed scan. */
    private record Chunk(
            int range,
            long[] starts,
            String[][] values,
            boolean[] hasValue,
            long[] hashes,
            long[] events,
            int size,
            boolean last,
            Exception failure) {}

    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(2);
    private final Thread reader;
    private int nextRange;

    /** @param ranges {@code [from, to)} pairs, read in this order */
    ScanAhead(SourceScanner scanner, List<Instant[]> ranges, int chunkRows, String name) {
        List<Instant[]> copy = new ArrayList<>(ranges);
        this.reader = new Thread(() -> readAll(scanner, copy, chunkRows), "precompute-scan-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Hands every row of the next range to {@code consumer}, in the scanner's order. */
    void read(SourceScanner.RowConsumer consumer) throws IOException, InterruptedException {
        int range = nextRange++;
        while (true) {
            Chunk chunk = queue.take();
            if (chunk.failure() != null) {
                if (chunk.failure() instanceof IOException io) {
                    throw io;
                }
                if (chunk.failure() instanceof InterruptedException interrupted) {
                    throw interrupted;
                }
                throw (RuntimeException) chunk.failure();
            }
            if (chunk.range() != range) {
                throw new IllegalStateException(
                        "scan ahead out of step: range " + chunk.range() + ", expected " + range);
            }
            for (int i = 0; i < chunk.size(); i++) {
                consumer.row(
                        chunk.starts()[i],
                        chunk.values()[i],
                        chunk.hasValue()[i],
                        chunk.hashes()[i],
                        chunk.events()[i]);
            }
            if (chunk.last()) {
                return;
            }
        }
    }

    @Override
    public void close() {
        reader.interrupt();
    }

    private void readAll(SourceScanner scanner, List<Instant[]> ranges, int chunkRows) {
        try {
            for (int r = 0; r < ranges.size(); r++) {
                int range = r;
                Builder builder = new Builder(range, chunkRows);
                scanner.scan(ranges.get(r)[0], ranges.get(r)[1], (start, values, hasValue, hash, events) -> {
                    if (builder.add(start, values, hasValue, hash, events)) {
                        put(builder.take(false));
                    }
                });
                put(builder.take(true));
            }
        } catch (IOException | RuntimeException e) { // also when closed: then nobody reads, and put gives up
            try {
                queue.put(new Chunk(-1, null, null, null, null, null, 0, true, e));
            } catch (InterruptedException ignored) {
                // closed by the consumer, who no longer reads
            }
        }
    }

    private void put(Chunk chunk) throws IOException {
        try {
            queue.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("scan ahead closed", e);
        }
    }

    /** Fills one chunk's arrays. */
    private static final class Builder {
        private final int range;
        private final int capacity;
        private long[] starts;
        private String[][] values;
        private boolean[] hasValue;
        private long[] hashes;
        private long[] events;
        private int size;

        Builder(int range, int capacity) {
            this.range = range;
            this.capacity = capacity;
            reset();
        }

        /** True when the chunk is full. */
        boolean add(long start, String[] rowValues, boolean rowHasValue, long hash, long rowEvents) {
            starts[size] = start;
            values[size] = rowValues;
            hasValue[size] = rowHasValue;
            hashes[size] = hash;
            events[size] = rowEvents;
            return ++size == capacity;
        }

        Chunk take(boolean last) {
            Chunk chunk = new Chunk(range, starts, values, hasValue, hashes, events, size, last, null);
            reset();
            return chunk;
        }

        private void reset() {
            starts = new long[capacity];
            values = new String[capacity][];
            hasValue = new boolean[capacity];
            hashes = new long[capacity];
            events = new long[capacity];
            size = 0;
        }
    }
}
