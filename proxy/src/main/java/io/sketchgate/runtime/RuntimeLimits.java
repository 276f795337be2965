package io.sketchgate.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sketchgate.config.ConfigProblem;
import io.sketchgate.config.LimitDocuments;
import io.sketchgate.config.LimitSettings;
import io.sketchgate.config.RoleConfig;
import io.sketchgate.config.RuntimeLimitsConfig;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.es.EsJson;
import io.sketchgate.policy.LimitRules;
import io.sketchgate.uniques.UniqueCountDefinitions;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The roles and user overrides in force: the config file's, with the changes stored in Elasticsearch laid over
 * them. Start reading here.
 *
 * <p>The current {@link LimitRules} is one immutable object behind a volatile field: the request path reads it
 * without a lock, and a refresh builds a new one and swaps it in whole. Refreshes run on one thread of this
 * class's own, every {@code runtime_limits.poll_interval}, and right after a change made through this instance
 * (so its own changes apply before they are acknowledged). The admin API's Elasticsearch calls run on the same
 * thread, never on an event loop, and so never interleave with a refresh.
 *
 * <p>Each read of the store also hands its documents to {@link RuntimeUniqueCounts}, so the unique-count
 * definitions stored in the same index follow on the same poll, thread and failure rules.
 *
 * <p>A stored document the config readers refuse is logged once, listed as invalid and skipped: the file's
 * entry of that name (if any) stays in force. When Elasticsearch cannot be read, the last rules stay in force
 * (the file's alone at start) and the next poll tries again.
 */
public final class RuntimeLimits implements Supplier<LimitRules>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeLimits.class);
    /** How long start-up waits for the first read before going on with the file's rules alone. */
    private static final long FIRST_LOAD_WAIT_MILLIS = 3_000;

    /** A valid stored change. {@code settings} is normalised: the file's key names and value spellings. */
    public record Entry(
            EntryKey key, Version version, Map<String, Object> settings, String updatedBy, String updatedAt) {}

    /** A stored document that was skipped, and why. */
    public record Invalid(String id, Version version, List<ConfigProblem> problems) {}

    /** Whether the store could be read at the last attempt. */
    public record StoreStatus(boolean available, Optional<String> lastError, Optional<Instant> lastRead) {
        static final StoreStatus NOT_READ = new StoreStatus(false, Optional.of("not read yet"), Optional.empty());
    }

    /** Everything one refresh produced, swapped in together. */
    public record State(LimitRules rules, Map<EntryKey, Entry> stored, List<Invalid> invalid, StoreStatus status) {}

    private final LimitRules base;
    private final RulesOverlay overlay; // touched on `thread` only
    private final RuntimeLimitsConfig settings;
    private final EsJson es;
    private final ConfigStore store;
    private final AuditLog audit;
    private final RuntimeUniqueCounts uniqueCounts;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final Set<String> reportedInvalid = new HashSet<>(); // touched on `thread` only
    /**
     * Each stored document read as the config file's readers read it, by id and version: validating is slow next to
     * reading, and a store of tens of thousands of entries changes a few at a time, so each version is read once.
     */
    private volatile Map<String, Parsed> parsed = Map.of();

    private record Parsed(
            Optional<RoleConfig> role,
            Optional<LimitSettings> user,
            Map<String, Object> normalised,
            List<ConfigProblem> problems) {}

    private volatile State state;
    private volatile boolean lastReadFailed;

    private RuntimeLimits(
            LimitRules base, RuntimeLimitsConfig settings, EsJson es, Clock clock, UniqueCountDefinitions definitions) {
        this.base = base;
        this.overlay = new RulesOverlay(base);
        this.settings = settings;
        this.es = es;
        this.uniqueCounts = new RuntimeUniqueCounts(definitions);
        this.store = new ConfigStore(es, settings.index());
        this.audit = new AuditLog(es, settings.auditIndex());
        this.clock = clock;
        this.thread =
                Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("sketchgate-runtime-limits", true));
        this.state = new State(base, Map.of(), List.of(), StoreStatus.NOT_READ);
    }

    /**
     * Reads the stored changes (waiting a few seconds at most; without Elasticsearch the file's rules apply and
     * reading is retried every poll interval) and starts polling.
     *
     * @param definitions where the unique-count definitions stored in the same index are applied
     */
    public static RuntimeLimits start(
            SketchgateConfig config, RestClient elasticsearch, Clock clock, UniqueCountDefinitions definitions) {
        RuntimeLimits limits = new RuntimeLimits(
                LimitRules.fromFile(config), config.runtimeLimits(), new EsJson(elasticsearch), clock, definitions);
        Future<?> first = limits.thread.submit(limits::refresh);
        try {
            first.get(FIRST_LOAD_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn(
                    "run-time limits: {} did not answer within {} ms; starting with the config file's roles and"
                            + " overrides, and reading again every {}",
                    config.runtimeLimits().index(),
                    FIRST_LOAD_WAIT_MILLIS,
                    config.runtimeLimits().pollInterval());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("run-time limits: first read failed", e.getCause());
        }
        long every = config.runtimeLimits().pollInterval().toMillis();
        limits.thread.scheduleWithFixedDelay(limits::refresh, every, every, TimeUnit.MILLISECONDS);
        return limits;
    }

    /** The rules in force now. Lock-free; called once per governed request. */
    @Override
    public LimitRules get() {
        return state.rules();
    }

    public State state() {
        return state;
    }

    /** The file's rules alone. */
    public LimitRules base() {
        return base;
    }

    public RuntimeLimitsConfig settings() {
        return settings;
    }

    public ConfigStore store() {
        return store;
    }

    public EsJson es() {
        return es;
    }

    public RuntimeUniqueCounts uniqueCounts() {
        return uniqueCounts;
    }

    public AuditLog audit() {
        return audit;
    }

    public Clock clock() {
        return clock;
    }

    /** Runs an admin operation on this class's thread; its exceptions fail the future. */
    public <T> CompletableFuture<T> submit(Callable<T> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                result.complete(operation.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Reads the store and swaps in the rules it gives; keeps the current ones if the store cannot be read. */
    public void refresh() {
        List<ConfigStore.Stored> documents;
        try {
            documents = store.all();
        } catch (IOException | RuntimeException e) {
            if (!lastReadFailed) {
                LOG.warn(
                        "run-time limits: cannot read {} ({}); keeping the rules in force and trying again every {}",
                        settings.index(),
                        e.getMessage(),
                        settings.pollInterval());
            }
            lastReadFailed = true;
            State old = state;
            state = new State(
                    old.rules(),
                    old.stored(),
                    old.invalid(),
                    new StoreStatus(
                            false,
                            Optional.of(String.valueOf(e.getMessage())),
                            old.status().lastRead()));
            return;
        }
        if (lastReadFailed) {
            LOG.info("run-time limits: {} readable again", settings.index());
        }
        lastReadFailed = false;
        state = build(documents);
        try {
            uniqueCounts.read(documents, this::report);
        } catch (RuntimeException e) {
            LOG.warn("run-time unique counts: applying the stored definitions failed; keeping the ones in force", e);
        }
    }

    private State build(List<ConfigStore.Stored> documents) {
        Map<String, RoleConfig> roles = new LinkedHashMap<>();
        Map<String, LimitSettings> overrides = new LinkedHashMap<>();
        Map<EntryKey, Entry> stored = new LinkedHashMap<>();
        List<Invalid> invalid = new ArrayList<>();
        Map<String, Parsed> known = parsed;
        Map<String, Parsed> next = new HashMap<>();
        for (ConfigStore.Stored document : documents) {
            Optional<EntryKey> key = document.key();
            if (key.isPresent() && key.get().kind() == EntryKey.Kind.UNIQUE_COUNT) {
                continue; // RuntimeUniqueCounts' to read
            }
            if (key.isEmpty()) {
                invalid.add(report(
                        document,
                        List.of(new ConfigProblem(
                                "_id",
                                "must be role:NAME, user:NAME or"
                                        + " unique_count:NAME with the"
                                        + " same kind and name fields, was " + document.id() + " with kind \""
                                        + document.source().path("kind").asText("") + "\" and name \""
                                        + document.source().path("name").asText("") + "\"",
                                Optional.of(document.id())))));
                continue;
            }
            String version = document.id() + "@" + document.version().text();
            Parsed read = known.get(version);
            if (read == null) {
                read = parse(key.get(), document);
            }
            next.put(version, read);
            Map<String, Object> normalised = read.normalised();
            List<ConfigProblem> problems = read.problems();
            read.role().ifPresent(r -> roles.put(r.name(), r));
            read.user().ifPresent(u -> overrides.put(key.get().name(), u));
            if (!problems.isEmpty()) {
                invalid.add(report(document, problems));
                continue;
            }
            stored.put(
                    key.get(),
                    new Entry(
                            key.get(),
                            document.version(),
                            normalised,
                            document.source().path("updated_by").asText("-"),
                            document.source().path("updated_at").asText("")));
        }
        parsed = next;
        LimitRules rules = overlay.rules(roles, overrides); // the same rules (and memo) while nothing changed
        return new State(rules, stored, invalid, new StoreStatus(true, Optional.empty(), Optional.of(clock.instant())));
    }

    private static Parsed parse(EntryKey key, ConfigStore.Stored document) {
        Object body = EsJson.JSON.convertValue(document.settings(), Object.class);
        if (key.kind() == EntryKey.Kind.ROLE) {
            LimitDocuments.Read<RoleConfig> role = LimitDocuments.role(key.name(), body);
            return new Parsed(
                    role.value(),
                    Optional.empty(),
                    role.value().map(LimitDocuments::describe).orElse(null),
                    role.problems());
        }
        LimitDocuments.Read<LimitSettings> user = LimitDocuments.userOverrides(key.name(), body);
        return new Parsed(
                Optional.empty(),
                user.value(),
                user.value().map(LimitDocuments::describe).orElse(null),
                user.problems());
    }

    /** Logs a skipped document once per version; on {@code thread}. */
    private Invalid report(ConfigStore.Stored document, List<ConfigProblem> problems) {
        if (reportedInvalid.add(document.id() + "@" + document.version().text())) {
            LOG.warn(
                    "run-time config: skipping document {} (version {}) of {}: {}",
                    document.id(),
                    document.version().text(),
                    settings.index(),
                    problems.stream().map(p -> p.key() + ": " + p.reason()).toList());
        }
        return new Invalid(document.id(), document.version(), problems);
    }

    /** The settings of a stored document as JSON, for audit entries. */
    public static JsonNode toJson(Map<String, Object> settings) {
        return EsJson.JSON.valueToTree(settings);
    }

    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
