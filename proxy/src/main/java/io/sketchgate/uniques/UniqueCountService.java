package io.sketchgate.uniques;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.config.UniqueCountsConfig;
import org.elasticsearch.client.RestClient;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The unique-count work a proxy does in the background, per configured definition: the {@link RealtimeTailer}
 * (unless {@code realtime.enabled: false}) and the {@link PrecomputeScheduler}. Started by the proxy, closed with
 * it. It is the proxy's {@link RealtimeSketches}, and reports status for {@code /_sketchgate/unique-counts}.
 */
public final class UniqueCountService implements RealtimeSketches, AutoCloseable {
    /** Two threads: tailers and scheduler ticks are short; the jobs themselves run on their own threads. */
    private static final int TIMER_THREADS = 2;

    private final Map<String, UniqueCountDefinition> definitions = new LinkedHashMap<>();
    private final Map<String, RealtimeTailer> tailers = new LinkedHashMap<>();
    private final Map<String, PrecomputeScheduler> schedulers = new LinkedHashMap<>();
    private final ScheduledExecutorService timer;

    private UniqueCountService(RestClient client, UniqueCountsConfig config, Clock clock) {
        this.timer = Executors.newScheduledThreadPool(TIMER_THREADS, new DefaultThreadFactory("sketchgate-uniques", true));
        for (UniqueCountDefinition definition : config.definitions()) {
            definitions.put(definition.name(), definition);
            if (definition.realtime().enabled()) {
                tailers.put(definition.name(), new RealtimeTailer(client, definition, clock, timer));
            }
            schedulers.put(definition.name(), new PrecomputeScheduler(client, definition, clock, timer));
        }
    }

    /** Starts the tailers and schedulers; nothing here needs Elasticsearch to be up yet. */
    public static UniqueCountService start(RestClient client, UniqueCountsConfig config, Clock clock) {
        UniqueCountService service = new UniqueCountService(client, config, clock);
        service.tailers.values().forEach(RealtimeTailer::start);
        service.schedulers.values().forEach(PrecomputeScheduler::start);
        return service;
    }

    @Override
    public Optional<Granule> granule(String definition, Instant start) {
        RealtimeTailer tailer = tailers.get(definition);
        return tailer == null ? Optional.empty() : tailer.granule(start);
    }

    @Override
    public Optional<Instant> tailedThrough(String definition) {
        RealtimeTailer tailer = tailers.get(definition);
        return tailer == null ? Optional.empty() : tailer.tailedThrough();
    }

    public Optional<UniqueCountDefinition> definition(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    public List<String> names() {
        return List.copyOf(definitions.keySet());
    }

    /** The definition, its job and its tailer, as the API shows them. */
    public Optional<Map<String, Object>> status(String name) {
        UniqueCountDefinition definition = definitions.get(name);
        if (definition == null) {
            return Optional.empty();
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("name", name);
        status.put("source", definition.source());
        status.put("index", UvIndex.name(definition));
        status.put("definition_version", definition.version());
        status.put("granularity", io.sketchgate.config.Durations.format(definition.granularity()));
        status.put("lateness", io.sketchgate.config.Durations.format(definition.lateness()));
        status.put("job", schedulers.get(name).status());
        RealtimeTailer tailer = tailers.get(name);
        status.put("realtime", tailer == null ? Map.of("state", "disabled") : tailer.status());
        return Optional.of(status);
    }

    public List<Map<String, Object>> statuses() {
        List<Map<String, Object>> all = new ArrayList<>();
        definitions.keySet().forEach(name -> all.add(status(name).orElseThrow()));
        return all;
    }

    /**
     * Queues a recompute of {@code [from, to)} of definition {@code name} (which must exist) and returns its job
     * status.
     *
     * @throws UniqueCountException when the range is empty, not aligned or not closed
     */
    public Map<String, Object> recompute(String name, Instant from, Instant to) {
        return schedulers.get(name).recompute(from, to);
    }

    @Override
    public void close() {
        schedulers.values().forEach(PrecomputeScheduler::close);
        tailers.values().forEach(RealtimeTailer::close);
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests in this package. */
    Optional<RealtimeTailer> tailer(String name) {
        return Optional.ofNullable(tailers.get(name));
    }
}
