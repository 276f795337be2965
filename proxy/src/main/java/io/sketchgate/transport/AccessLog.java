package io.sketchgate.transport;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON line per request. Each event loop formats its lines itself, into a buffer of its own (one
 * long-lived JSON generator per loop, no string per line); a single writer thread swaps the buffers out every
 * 20 ms and writes them with one flush, so lines reach the file at most about 20 ms late, event loops never wake
 * the writer and a slow disk never stalls the proxy. A loop whose buffer is full (the disk cannot keep up) drops
 * its lines and counts them rather than blocking traffic. Off ({@link #open} with no path): nothing is built at
 * all, since callers ask {@link #enabled()} first.
 */
public final class AccessLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    /** Per writing thread; at 300 bytes a line, about 28,000 lines waiting, as the old 65,536-entry queue. */
    static final int MAX_BUFFERED_BYTES = 8 << 20;

    private static final long FLUSH_INTERVAL_MILLIS = 20;

    private final JsonFactory json = new JsonFactory();
    private final AtomicLong dropped = new AtomicLong();
    private final List<LineBuffer> buffers = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<LineBuffer> local = new FastThreadLocal<>() {
        @Override
        protected LineBuffer initialValue() {
            LineBuffer buffer = new LineBuffer(json);
            buffers.add(buffer);
            return buffer;
        }
    };
    private final OutputStream out;
    private final Thread writer;
    private volatile boolean closing;

    private AccessLog(OutputStream out) {
        this.out = out;
        if (out == null) {
            this.writer = null;
            return;
        }
        this.writer = new Thread(this::writeLoop, "sketchgate-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    public static AccessLog open(Optional<Path> path) throws IOException {
        if (path.isEmpty()) {
            return new AccessLog(null);
        }
        Path file = path.get().toAbsolutePath();
        Files.createDirectories(file.getParent());
        OutputStream out = Files.newOutputStream(
                file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        return new AccessLog(out);
    }

    /** Whether lines are written at all; when not, callers build no entry. */
    boolean enabled() {
        return out != null;
    }

    /** Formats the line now, on the calling thread, into that thread's buffer. */
    void record(AccessLogEntry entry) {
        if (out == null || closing) {
            return;
        }
        LineBuffer buffer = local.get();
        synchronized (buffer) { // contended only while the writer swaps this buffer out
            if (buffer.size() >= MAX_BUFFERED_BYTES) {
                dropped.incrementAndGet();
                return;
            }
            try {
                buffer.append(entry);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // writing to memory does no I/O
            }
        }
    }

    long dropped() {
        return dropped.get();
    }

    /** One line as it is written, without the newline; for tests. */
    String toJson(AccessLogEntry e) throws IOException {
        LineBuffer buffer = new LineBuffer(json);
        buffer.append(e);
        String line = buffer.toString(StandardCharsets.UTF_8);
        return line.substring(0, line.length() - 1);
    }

    private void writeLoop() {
        // Every FLUSH_INTERVAL_MILLIS: swap each thread's buffer for an empty one, write what it held, flush once.
        // The event loops never wake this thread (no queue to block on), which would cost a futex call per request.
        try (out) {
            while (true) {
                boolean last = closing;
                for (LineBuffer buffer : buffers) {
                    buffer.drainTo(out);
                }
                out.flush();
                if (last) {
                    return;
                }
                Thread.sleep(FLUSH_INTERVAL_MILLIS);
            }
        } catch (IOException e) {
            LOG.error("access log stopped: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (writer == null) {
            return;
        }
        closing = true; // the writer makes one more pass over every buffer, then closes the file
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The lines one thread has formatted and the writer has not taken yet. The JSON generator lives as long as the
     * buffer and writes root values with no separator; each line ends with a newline.
     */
    private static final class LineBuffer extends ByteArrayOutputStream {
        private final JsonGenerator g;
        private long timeSecond = Long.MIN_VALUE;
        private String timePrefix;
        private byte[] spare = new byte[0];

        LineBuffer(JsonFactory json) {
            super(4096);
            try {
                this.g = json.createGenerator(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            g.setRootValueSeparator(null);
        }

        void append(AccessLogEntry e) throws IOException {
            g.writeStartObject();
            g.writeStringField("time", time(e.time()));
            g.writeStringField("listener", e.listener());
            g.writeStringField("client", e.client());
            writeOptional(g, "user", e.user());
            g.writeStringField("method", e.method());
            g.writeStringField("path", SecretRedaction.uri(e.path()));
            g.writeNumberField("status", e.status());
            g.writeNumberField("bytes_in", e.bytesIn());
            g.writeNumberField("bytes_out", e.bytesOut());
            if (e.upstream() == null) {
                g.writeNullField("upstream");
                g.writeNullField("upstream_ms");
            } else {
                g.writeStringField("upstream", e.upstream());
                g.writeNumberField("upstream_ms", e.upstreamMillis());
            }
            g.writeNumberField("total_ms", e.totalMillis());
            writeOptional(g, "decision", e.decision());
            g.writeEndObject();
            g.writeRaw('\n');
            g.flush();
        }

        /** {@link Instant#toString()}, with the part up to the second formatted once per second. */
        private String time(Instant time) {
            if (time.getEpochSecond() != timeSecond) {
                String whole = Instant.ofEpochSecond(time.getEpochSecond()).toString();
                timePrefix = whole.substring(0, whole.length() - 1); // without the Z
                timeSecond = time.getEpochSecond();
            }
            int nanos = time.getNano();
            if (nanos == 0) {
                return timePrefix + "Z";
            }
            // ISO_INSTANT prints the fraction in groups of three digits: millis, micros or nanos
            int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
            int value = digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1_000 : nanos;
            StringBuilder text = new StringBuilder(timePrefix.length() + 11)
                    .append(timePrefix)
                    .append('.');
            String number = Integer.toString(value);
            for (int pad = digits - number.length(); pad > 0; pad--) {
                text.append('0');
            }
            return text.append(number).append('Z').toString();
        }

        private static void writeOptional(JsonGenerator g, String name, String value) throws IOException {
            if (value == null || value.equals("-")) {
                g.writeNullField(name);
            } else {
                g.writeStringField(name, value);
            }
        }

        /** Called by the writer: takes the lines under the lock, writes them outside it. */
        void drainTo(OutputStream file) throws IOException {
            byte[] lines;
            int length;
            synchronized (this) {
                if (count == 0) {
                    return;
                }
                lines = buf;
                length = count;
                buf = spare.length >= 4096 ? spare : new byte[4096];
                count = 0;
            }
            file.write(lines, 0, length);
            spare = lines.length <= (1 << 20) ? lines : new byte[0]; // keep a normal-sized array for the next swap
        }
    }
}
