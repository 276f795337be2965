package io.sketchgate.telemetry;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sketchgate.caches.Caches;
import io.sketchgate.transport.FinishedRequest;
import io.sketchgate.transport.RequestObserver;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts each user's requests per hour in memory, between flushes: requests, rejections by reason, queue waits,
 * Elasticsearch time ({@code took}) and bytes. Recording is a map lookup and a few atomic adds on the event loop.
 *
 * <p>Bounded: at most {@code maxEntries} (user, hour) counters exist between two flushes; requests that would
 * need another are counted in {@value SketchgateMetrics#USAGE_DROPPED} only. {@link #drain} hands the counts to
 * the flusher and leaves zeros behind (a past hour's counter is removed); {@link #restore} puts back what could
 * not be written, so a failed flush loses nothing.
 */
public final class UsageRecorder implements RequestObserver {
    private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();

    private record Key(String user, long hour) {}

    private static final class Counters {
        final AtomicLong requests = new AtomicLong();
        final ConcurrentMap<String, AtomicLong> rejections = new ConcurrentHashMap<>(4);
        final AtomicLong queueWaits = new AtomicLong();
        final AtomicLong queueWaitMillis = new AtomicLong();
        final AtomicLong esTimeMillis = new AtomicLong();
        final AtomicLong bytesIn = new AtomicLong();
        final AtomicLong bytesOut = new AtomicLong();

        void reject(String code, long n) {
            rejections.computeIfAbsent(code, c -> new AtomicLong()).addAndGet(n);
        }
    }

    private final InstantSource clock;
    private final int maxEntries;
    private final ConcurrentMap<Key, Counters> counters = new ConcurrentHashMap<>();
    private final Cache<String, Set<String>> roles;
    private final Counter dropped;

    public UsageRecorder(InstantSource clock, int maxEntries, MeterRegistry registry) {
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.roles = Caches.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(Duration.ofDays(1))
                .build();
        this.dropped = Counter.builder(SketchgateMetrics.USAGE_DROPPED)
                .description("Requests not counted in usage because usage.max_entries was reached")
                .register(registry);
    }

    @Override
    public void finished(FinishedRequest request) {
        if (request.user().equals("-") || request.decision() == FinishedRequest.Decision.API) {
            return; // nobody to charge, or Sketchgate's own API
        }
        Counters c = countersOf(request.user());
        if (c == null) {
            return;
        }
        c.requests.incrementAndGet();
        if (request.rejectionCode() != null) {
            c.reject(request.rejectionCode(), 1);
        }
        if (request.tookMillis() > 0) {
            c.esTimeMillis.addAndGet(request.tookMillis());
        }
        if (request.bytesIn() > 0) {
            c.bytesIn.addAndGet(request.bytesIn());
        }
        if (request.bytesOut() > 0) {
            c.bytesOut.addAndGet(request.bytesOut());
        }
    }

    /** A query of {@code user} waited in the concurrency queue (admitted or not). */
    public void queueWaited(String user, long waitNanos) {
        Counters c = countersOf(user);
        if (c != null) {
            c.queueWaits.incrementAndGet();
            c.queueWaitMillis.addAndGet(Math.round(waitNanos / 1e6));
        }
    }

    /** Remembers the roles identity gave {@code user}, stored with the usage for filtering by role. */
    public void identified(String user, Set<String> userRoles) {
        if (!userRoles.equals(roles.getIfPresent(user))) {
            roles.put(user, Set.copyOf(userRoles));
        }
    }

    /** The roles last seen for {@code user}; empty when unknown. */
    public Set<String> rolesOf(String user) {
        Set<String> known = roles.getIfPresent(user);
        return known == null ? Set.of() : known;
    }

    /** Takes every count recorded since the last drain; counters of past hours are dropped from memory. */
    List<UsageDelta> drain() {
        long currentHour = hourOf(clock.millis());
        List<UsageDelta> deltas = new ArrayList<>();
        for (Map.Entry<Key, Counters> entry : counters.entrySet()) {
            Key key = entry.getKey();
            Counters c = entry.getValue();
            if (key.hour() < currentHour) {
                // No request records into a past hour any more, bar one that looked it up an instant ago.
                counters.remove(key, c);
            }
            Map<String, Long> rejections = new HashMap<>();
            c.rejections.forEach((code, n) -> {
                long taken = n.getAndSet(0);
                if (taken != 0) {
                    rejections.put(code, taken);
                }
            });
            UsageDelta delta = new UsageDelta(
                    key.user(),
                    Instant.ofEpochMilli(key.hour()),
                    rolesOf(key.user()),
                    c.requests.getAndSet(0),
                    rejections,
                    c.queueWaits.getAndSet(0),
                    c.queueWaitMillis.getAndSet(0),
                    c.esTimeMillis.getAndSet(0),
                    c.bytesIn.getAndSet(0),
                    c.bytesOut.getAndSet(0));
            if (!delta.isEmpty()) {
                deltas.add(delta);
            }
        }
        return deltas;
    }

    /** Puts back counts a flush could not write, to be written with the next one. */
    void restore(UsageDelta delta) {
        Counters c = counters.computeIfAbsent(new Key(delta.user(), delta.hour().toEpochMilli()), k -> new Counters());
        c.requests.addAndGet(delta.requests());
        delta.rejections().forEach(c::reject);
        c.queueWaits.addAndGet(delta.queueWaits());
        c.queueWaitMillis.addAndGet(delta.queueWaitMillis());
        c.esTimeMillis.addAndGet(delta.esTimeMillis());
        c.bytesIn.addAndGet(delta.bytesIn());
        c.bytesOut.addAndGet(delta.bytesOut());
    }

    private Counters countersOf(String user) {
        Key key = new Key(user, hourOf(clock.millis()));
        Counters c = counters.get(key);
        if (c != null) {
            return c;
        }
        if (counters.size() >= maxEntries) {
            dropped.increment();
            return null;
        }
        return counters.computeIfAbsent(key, k -> new Counters());
    }

    private static long hourOf(long millis) {
        return Math.floorDiv(millis, HOUR_MILLIS) * HOUR_MILLIS;
    }
}
