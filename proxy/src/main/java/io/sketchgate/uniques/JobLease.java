package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The right to run one definition's job, held by one process at a time through the document
 * {@code lease-<definition>} in {@link JobStore#INDEX}.
 *
 * <p>Every write is conditional: the first with {@code _create}, later ones with the {@code if_seq_no} and
 * {@code if_primary_term} last seen, so of two processes racing for a free or expired lease exactly one write
 * succeeds. The holder renews it (every third of the time to live) while it works; a process that dies stops
 * renewing and the lease expires after its time to live, after which another process may take it over. A
 * holder whose renewal fails with a conflict has lost the lease and stops before writing anything more.
 */
public final class JobLease implements AutoCloseable {
    private final JobStore store;
    private final String definition;
    private final String owner;
    private final Duration ttl;
    private final Clock clock;
    private long seqNo;
    private long primaryTerm;
    private Instant renewedAt;
    private boolean held;

    private JobLease(JobStore store, String definition, String owner, Duration ttl, Clock clock) {
        this.store = store;
        this.definition = definition;
        this.owner = owner;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * Takes the lease, waiting up to {@code wait} for another holder's to be released or to expire.
     *
     * @throws LeaseHeldException when another process holds it after {@code wait}
     */
    static JobLease acquire(JobStore store, String definition, String owner, Duration ttl, Duration wait, Clock clock)
            throws IOException, InterruptedException {
        JobLease lease = new JobLease(store, definition, owner, ttl, clock);
        Instant giveUp = clock.instant().plus(wait);
        while (true) {
            String holder = lease.tryAcquire();
            if (holder == null) {
                return lease;
            }
            if (!clock.instant().isBefore(giveUp)) {
                throw new LeaseHeldException(
                        holder,
                        List.of("the precompute job of \"" + definition
                                + "\" is already running in " + holder
                                + "; wait for it to finish (or, if that process died,"
                                + " for its lease to expire), or pass --wait-for-lease"));
            }
            Thread.sleep(Math.min(
                    500, Math.max(50, Duration.between(clock.instant(), giveUp).toMillis())));
        }
    }

    /** Null when acquired, else a description of the current holder. */
    private String tryAcquire() throws IOException {
        EsJson es = store.es();
        EsJson.Answer current = es.call("GET", path("_doc"), null);
        Instant now = clock.instant();
        EsJson.Answer written;
        if (current.status() == 404) {
            written = es.call("PUT", path("_create"), source(now), Map.of());
        } else if (current.ok()) {
            JsonNode source = current.body().path("_source");
            Instant expires = Instant.ofEpochMilli(source.path("expires_at").asLong());
            if (!source.path("owner").asText().equals(owner) && expires.isAfter(now)) {
                return source.path("owner").asText() + " (lease expires at " + expires + ")";
            }
            written = es.call(
                    "PUT",
                    path("_doc"),
                    source(now),
                    Map.of(
                            "if_seq_no", current.body().path("_seq_no").asText(),
                            "if_primary_term",
                                    current.body().path("_primary_term").asText()));
        } else {
            throw new IOException("cannot read the lease of " + definition + ": " + current.describe());
        }
        if (written.status() == 409) {
            return "another process (it took the lease just now)";
        }
        if (!written.ok()) {
            throw new IOException("cannot write the lease of " + definition + ": " + written.describe());
        }
        remember(written.body(), now);
        return null;
    }

    /** Renews when a third of the time to live has passed. @throws UniqueCountException when the lease was lost */
    void renewIfDue() throws IOException {
        Instant now = clock.instant();
        if (Duration.between(renewedAt, now).compareTo(ttl.dividedBy(3)) < 0) {
            return;
        }
        EsJson.Answer written = store.es().call("PUT", path("_doc"), source(now), conditional());
        if (written.status() == 409 || written.status() == 404) {
            held = false;
            throw new UniqueCountException(List.of("the precompute job of \"" + definition + "\" lost its lease (it"
                    + " was not renewed within " + ttl.toSeconds() + "s and another process took it over); stopped"
                    + " before writing more; run it again to resume from its checkpoint"));
        }
        if (!written.ok()) {
            throw new IOException("cannot renew the lease of " + definition + ": " + written.describe());
        }
        remember(written.body(), now);
    }

    /** Releases the lease if still held; a lease taken over meanwhile is left alone. */
    @Override
    public void close() throws IOException {
        if (held) {
            held = false;
            store.es().call("DELETE", path("_doc"), null, conditional());
        }
    }

    public String owner() {
        return owner;
    }

    private void remember(JsonNode answer, Instant now) {
        seqNo = answer.path("_seq_no").asLong();
        primaryTerm = answer.path("_primary_term").asLong();
        renewedAt = now;
        held = true;
    }

    private Map<String, String> conditional() {
        return Map.of("if_seq_no", Long.toString(seqNo), "if_primary_term", Long.toString(primaryTerm));
    }

    private Map<String, Object> source(Instant now) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("type", "lease");
        source.put("definition", definition);
        source.put("owner", owner);
        source.put("expires_at", now.plus(ttl).toEpochMilli());
        source.put("updated_at", now.toString());
        return source;
    }

    private String path(String endpoint) {
        return "/" + JobStore.INDEX + "/" + endpoint + "/lease-" + definition;
    }
}
