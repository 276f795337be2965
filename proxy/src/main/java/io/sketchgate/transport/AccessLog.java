package io.sketchgate.transport;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON line per request. Event-loop threads only enqueue; a single writer thread does the I/O in
 * batches (one flush per batch, lines at most 20 ms late), so a slow disk never stalls the proxy. When the queue is full, lines are dropped and counted rather than
 * blocking traffic.
 */
public final class AccessLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    private static final int QUEUE_CAPACITY = 65_536;
    private static final int BATCH = 4_096;
    private static final long FLUSH_INTERVAL_MILLIS = 20;
    private static final AccessLogEntry POISON =
            new AccessLogEntry(null, null, null, null, null, null, 0, 0, 0, null, 0, 0, null);

    private final JsonFactory json = new JsonFactory();
    private final BlockingQueue<AccessLogEntry> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;

    private AccessLog(Optional<BufferedWriter> out) {
        this.queue = out.isPresent() ? new ArrayBlockingQueue<>(QUEUE_CAPACITY) : null;
        this.writer = out.map(w -> {
                    Thread t = new Thread(() -> writeLoop(w), "sketchgate-access-log");
                    t.setDaemon(true);
                    t.start();
                    return t;
                })
                .orElse(null);
    }

    public static AccessLog open(Optional<Path> path) throws IOException {
        if (path.isEmpty()) {
            return new AccessLog(Optional.empty());
        }
        Path file = path.get().toAbsolutePath();
        Files.createDirectories(file.getParent());
        BufferedWriter out = Files.newBufferedWriter(
                file,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        return new AccessLog(Optional.of(out));
    }

    void record(AccessLogEntry entry) {
        if (queue != null && !queue.offer(entry)) {
            dropped.incrementAndGet();
        }
    }

    long dropped() {
        return dropped.get();
    }

    String toJson(AccessLogEntry e) throws IOException {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator g = json.createGenerator(line)) {
            g.writeStartObject();
            g.writeStringField("time", e.time().toString());
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
        }
        return line.toString();
    }

    private static void writeOptional(JsonGenerator g, String name, String value) throws IOException {
        if (value == null || value.equals("-")) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    private void writeLoop(BufferedWriter out) {
        // Batches: take whatever is queued, write it, flush once, then sleep briefly when nothing came. The
        // event loops never wake this thread (no blocking take/poll on the queue), which would cost a futex
        // call per request; a line reaches the file at most FLUSH_INTERVAL_MILLIS after its request.
        List<AccessLogEntry> batch = new ArrayList<>(BATCH);
        try (out) {
            while (true) {
                queue.drainTo(batch, BATCH);
                if (batch.isEmpty()) {
                    Thread.sleep(FLUSH_INTERVAL_MILLIS);
                    continue;
                }
                for (AccessLogEntry entry : batch) {
                    if (entry == POISON) {
                        drainTo(out);
                        return;
                    }
                    out.write(toJson(entry));
                    out.newLine();
                }
                batch.clear();
                out.flush();
            }
        } catch (IOException e) {
            LOG.error("access log stopped: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drainTo(BufferedWriter out) throws IOException {
        AccessLogEntry entry;
        while ((entry = queue.poll()) != null && entry != POISON) {
            out.write(toJson(entry));
            out.newLine();
        }
        out.flush();
    }

    @Override
    public void close() {
        if (writer == null) {
            return;
        }
        try {
            queue.put(POISON);
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
