package io.sketchgate.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sketchgate.caches.Caches;
import io.sketchgate.esapi.ContinuationKind;
import io.sketchgate.esapi.IndexTargets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Remembers, for each scroll / PIT / async id a response created, who created it, which indices the
 * creating request named and what policy decided ({@code D}, policy's own record), so that continuations,
 * which name no index, are bound to the original decision.
 *
 * <p>Ownership: with Elasticsearch security off, ES lets anyone who knows an id read or delete it. Every
 * lookup here is by (kind, id, user); another user's id is answered {@link Lookup.NotFound} exactly like an
 * unknown one (the proxy answers 404, as ES does for a missing id), so ids cannot be probed.
 *
 * <p>Entries expire after their own keep-alive (the {@code scroll} / {@code keep_alive} of the request,
 * capped by {@code maxKeepAlive}), and the registry holds at most {@code maxEntries} (least recently used
 * go first). An id that is not here, because it expired, was evicted or was created around Sketchgate,
 * is {@code NotFound(UNKNOWN)}: policy fails closed.
 */
public final class ContinuationRegistry<D> {

    public record Continuation<D>(
            ContinuationKind kind, String id, String owner, IndexTargets targets, D decision, Duration keepAlive) {}

    /** The answer of {@link #lookup}. */
    public sealed interface Lookup<D> {
        record Found<D>(Continuation<D> continuation) implements Lookup<D> {}

        record NotFound<D>(Reason reason) implements Lookup<D> {}

        enum Reason {
            UNKNOWN,
            OTHER_OWNER,
            /** Handed out to this user, but not through this instance since it started (see {@link Ownership}). */
            NOT_RECORDED
        }
    }

    private record Key(ContinuationKind kind, String id) {}

    private final Cache<Key, Continuation<D>> entries;
    private final Duration maxKeepAlive;

    public ContinuationRegistry(long maxEntries, Duration maxKeepAlive, Ticker ticker) {
        this.maxKeepAlive = maxKeepAlive;
        this.entries = Caches.newBuilder()
                .maximumSize(maxEntries)
                .ticker(ticker)
                .expireAfter(new Expiry<Key, Continuation<D>>() {
                    @Override
                    public long expireAfterCreate(Key key, Continuation<D> value, long currentTime) {
                        return value.keepAlive().toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(
                            Key key, Continuation<D> value, long currentTime, long currentDuration) {
                        return value.keepAlive().toNanos();
                    }

                    @Override
                    public long expireAfterRead(
                            Key key, Continuation<D> value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    public ContinuationRegistry(long maxEntries, Duration maxKeepAlive) {
        this(maxEntries, maxKeepAlive, Ticker.systemTicker());
    }

    /** Records an id a response created (or renewed: a scroll page or PIT search may return a new id). */
    public void register(
            ContinuationKind kind, String id, String owner, IndexTargets targets, D decision, Duration keepAlive) {
        Objects.requireNonNull(owner, "owner");
        Duration capped = keepAlive.isNegative() || keepAlive.compareTo(maxKeepAlive) > 0 ? maxKeepAlive : keepAlive;
        entries.put(new Key(kind, id), new Continuation<>(kind, id, owner, targets, decision, capped));
    }

    public Lookup<D> lookup(ContinuationKind kind, String id, String user) {
        Continuation<D> found = entries.getIfPresent(new Key(kind, id));
        if (found == null) {
            return new Lookup.NotFound<>(Lookup.Reason.UNKNOWN);
        }
        if (!found.owner().equals(user)) {
            return new Lookup.NotFound<>(Lookup.Reason.OTHER_OWNER);
        }
        return new Lookup.Found<>(found);
    }

    /** Forgets an id after its DELETE / clear / close was allowed. */
    public Optional<Continuation<D>> remove(ContinuationKind kind, String id) {
        return Optional.ofNullable(entries.asMap().remove(new Key(kind, id)));
    }

    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    /**
     * ES time values as used by {@code scroll} and {@code keep_alive}: {@code 500ms}, {@code 30s}, {@code 1m},
     * {@code 2h}, {@code 5d}; anything else (or absent) gives {@code fallback}.
     */
    public static Duration keepAlive(String value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        String v = value.trim();
        try {
            if (v.endsWith("nanos")) {
                return Duration.ofNanos(Long.parseLong(v.substring(0, v.length() - 5)));
            } else if (v.endsWith("micros")) {
                return Duration.ofNanos(1000 * Long.parseLong(v.substring(0, v.length() - 6)));
            } else if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> fallback;
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            return fallback;
        }
    }
}
