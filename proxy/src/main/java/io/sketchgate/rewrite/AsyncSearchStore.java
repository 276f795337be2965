package io.sketchgate.rewrite;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code _async_search} responses Sketchgate answered itself with {@code keep_on_completion=true}: kept in
 * memory until their {@code keep_alive} runs out, served on {@code GET /_async_search/{id}},
 * {@code GET /_async_search/status/{id}} and {@code DELETE /_async_search/{id}} to the user who submitted them.
 * Ids are 32 random bytes, so they never collide with Elasticsearch's own; a restart forgets them (Kibana then
 * gets 404 and submits again, as after an Elasticsearch restart).
 */
public final class AsyncSearchStore {
    /** Bounded: an entry is a few KB; beyond this the soonest to expire are dropped. */
    static final int MAX_ENTRIES = 10_000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public AsyncSearchStore(Clock clock) {
        this.clock = clock;
    }

    /** {@code response} is null once deleted: the id then answers 404 until it would have expired. */
    private record Entry(String owner, ObjectNode response, long start, long completion, long expiration) {
        Entry withExpiration(long at) {
            return new Entry(owner, response, start, completion, at);
        }

        Entry deleted() {
            return new Entry(owner, null, start, completion, expiration);
        }
    }

    /**
     * The completed envelope Elasticsearch returns for a search that finished within
     * {@code wait_for_completion_timeout}; with {@code keep} it is stored and carries its id.
     */
    public ObjectNode complete(
            ObjectNode searchResponse, String owner, long startMillis, Duration keepAlive, boolean keep) {
        long now = clock.millis();
        long expiration = now + keepAlive.toMillis();
        Entry entry = new Entry(owner, searchResponse, startMillis, now, expiration);
        if (!keep) {
            return envelope(null, entry);
        }
        purge(now);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes());
        entries.put(id, entry);
        return envelope(id, entry);
    }

    /**
     * Whether Sketchgate handed out this id (live, deleted or expired but not yet purged); such ids never go to
     * Elasticsearch, which would not know them.
     */
    public boolean owns(String id) {
        return entries.containsKey(id);
    }

    /** {@code GET /_async_search/{id}}; {@code keepAlive} extends the expiry as Elasticsearch does. */
    public Optional<ObjectNode> get(String id, String user, Optional<Duration> keepAlive) {
        return live(id, user).map(entry -> {
            Entry current = keepAlive
                    .map(k -> entry.withExpiration(clock.millis() + k.toMillis()))
                    .orElse(entry);
            entries.put(id, current);
            return envelope(id, current);
        });
    }

    /** {@code GET /_async_search/status/{id}}. */
    public Optional<ObjectNode> status(String id, String user) {
        return live(id, user).map(entry -> {
            ObjectNode status = NODES.objectNode();
            status.put("id", id);
            status.put("is_running", false);
            status.put("is_partial", false);
            status.put("start_time_in_millis", entry.start());
            status.put("expiration_time_in_millis", entry.expiration());
            status.put("completion_time_in_millis", entry.completion());
            status.set("_shards", entry.response().get("_shards"));
            status.put("completion_status", 200);
            return status;
        });
    }

    /** {@code DELETE /_async_search/{id}}: whether there was such a live search of this user. */
    public boolean delete(String id, String user) {
        Optional<Entry> entry = live(id, user);
        entry.ifPresent(e -> entries.put(id, e.deleted()));
        return entry.isPresent();
    }

    int size() {
        return entries.size();
    }

    /** Another user's id is "not found", as Elasticsearch answers for a search it does not own. */
    private Optional<Entry> live(String id, String user) {
        Entry entry = entries.get(id);
        if (entry == null || entry.response() == null || entry.expiration() <= clock.millis()) {
            return Optional.empty();
        }
        return entry.owner().equals(user) ? Optional.of(entry) : Optional.empty();
    }

    private static ObjectNode envelope(String id, Entry entry) {
        ObjectNode envelope = NODES.objectNode();
        if (id != null) {
            envelope.put("id", id);
        }
        envelope.put("is_partial", false);
        envelope.put("is_running", false);
        envelope.put("start_time_in_millis", entry.start());
        envelope.put("expiration_time_in_millis", entry.expiration());
        envelope.put("completion_time_in_millis", entry.completion());
        envelope.set("response", entry.response());
        return envelope;
    }

    private void purge(long now) {
        entries.values().removeIf(entry -> entry.expiration() <= now);
        if (entries.size() < MAX_ENTRIES) {
            return;
        }
        Iterator<Map.Entry<String, Entry>> soonest = entries.entrySet().stream()
                .sorted(Map.Entry.comparingByValue((a, b) -> Long.compare(a.expiration(), b.expiration())))
                .limit(entries.size() - MAX_ENTRIES + 1L)
                .toList()
                .iterator();
        soonest.forEachRemaining(e -> entries.remove(e.getKey()));
    }

    private byte[] bytes() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return bytes;
    }
}
