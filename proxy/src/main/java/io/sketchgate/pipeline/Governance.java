package io.sketchgate.pipeline;

import com.github.benmanes.caffeine.cache.Cache;
import io.sketchgate.config.KibanaRewriteMode;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.esapi.IndexResolver;
import io.sketchgate.esapi.RequestClassifier;
import io.sketchgate.identity.IdentityResolver;
import io.sketchgate.policy.AsyncSearchDeadlines;
import io.sketchgate.policy.BuiltInRoles;
import io.sketchgate.policy.DailyBudgets;
import io.sketchgate.policy.Decider;
import io.sketchgate.policy.DecisionHeader;
import io.sketchgate.policy.KibanaInternalAccess;
import io.sketchgate.policy.LimitRules;
import io.sketchgate.policy.Ownership;
import io.sketchgate.policy.PolicyMonitor;
import io.sketchgate.policy.Quotas;
import io.sketchgate.policy.SourceReads;
import io.sketchgate.policy.TimeFields;
import io.sketchgate.policy.TimeSpanChecks;
import io.sketchgate.transport.RequestPolicy;
import io.sketchgate.uniques.UvQueries;
import io.sketchgate.uniques.UvReadPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.elasticsearch.client.RestClient;

/**
 * What a configuration governs, wired once: the policy the Elasticsearch-facing listener asks for every request,
 * and the views of the same decisions that Sketchgate's APIs use. A configuration with neither identity, roles
 * nor a Kibana rewrite governs nothing: its policy is {@link RequestPolicy#ALLOW_ALL} (a plain proxy) and it has
 * no pipeline to explain and no budgets.
 *
 * @param policy   asked for every request
 * @param pipeline the same policy, for explaining requests; empty when nothing is governed
 * @param reads    whether a UV API caller may read a definition's source over a range
 * @param budgets  today's Elasticsearch time against each user's budget; empty when nothing is governed
 */
public record Governance(
        RequestPolicy policy, Optional<RequestPipeline> pipeline, UvReadPolicy reads, Optional<DailyBudgets> budgets) {
    /** How long an alias or wildcard keeps its resolved indices: a new index is governed within this time. */
    private static final Duration INDEX_CACHE_TTL = Duration.ofSeconds(30);

    private static final long INDEX_CACHE_ENTRIES = 10_000;

    static final Governance NOTHING =
            new Governance(RequestPolicy.ALLOW_ALL, Optional.empty(), UvReadPolicy.ANYONE, Optional.empty());

    public Governance {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(reads, "reads");
        Objects.requireNonNull(budgets, "budgets");
    }

    /**
     * @param elasticsearch  Sketchgate's own client, for the {@code elasticsearch} identity source and alias lookups
     * @param passwordChecks runs password checks of the {@code static} source, never an event loop
     * @param scheduler      for queue timeouts and async-search deadlines
     */
    public static Builder builder(
            SketchgateConfig config,
            RestClient elasticsearch,
            Executor passwordChecks,
            ScheduledExecutorService scheduler,
            Clock clock) {
        return new Builder(config, elasticsearch, passwordChecks, scheduler, clock);
    }

    /** The parts of {@link Governance} that have defaults. */
    public static final class Builder {
        private final SketchgateConfig config;
        private final RestClient elasticsearch;
        private final Executor passwordChecks;
        private final ScheduledExecutorService scheduler;
        private final Clock clock;
        private Supplier<LimitRules> rules;
        private PolicyMonitor monitor = PolicyMonitor.NONE;
        private Optional<UvQueries> uniqueCounts = Optional.empty();
        private Supplier<List<UniqueCountDefinition>> definitions;

        private Builder(
                SketchgateConfig config,
                RestClient elasticsearch,
                Executor passwordChecks,
                ScheduledExecutorService scheduler,
                Clock clock) {
            this.config = config;
            this.elasticsearch = elasticsearch;
            this.passwordChecks = passwordChecks;
            this.scheduler = scheduler;
            this.clock = clock;
            LimitRules fromFile = LimitRules.fromFile(config);
            this.rules = () -> fromFile;
            this.definitions = () -> config.uniqueCounts().definitions();
        }

        /** Roles and user overrides, read at each request (run-time changes swap what it returns); the file's by default. */
        public Builder rules(Supplier<LimitRules> rules) {
            this.rules = rules;
            return this;
        }

        /** Where decisions are reported; nowhere by default. */
        public Builder monitor(PolicyMonitor monitor) {
            this.monitor = monitor;
            return this;
        }

        /**
         * The engine that answers the Kibana rewrite's unique-count questions, and the definitions in force, read
         * at each search so that run-time changes are rewritten at once. Without it nothing is rewritten.
         */
        public Builder uniqueCounts(UvQueries engine, Supplier<List<UniqueCountDefinition>> inForce) {
            this.uniqueCounts = Optional.of(engine);
            this.definitions = inForce;
            return this;
        }

        /**
         * The Kibana rewrite counts only when the file's definitions ask for it or the policy is on anyway
         * (identity or roles, which run-time changes need).
         */
        public Governance build() {
            boolean rewrites = uniqueCounts.isPresent()
                    && config.uniqueCounts().definitions().stream()
                            .anyMatch(d -> d.kibanaRewrite() != KibanaRewriteMode.OFF);
            if (!config.identity().enabled() && config.roles().roles().isEmpty() && !rewrites) {
                return NOTHING;
            }
            IdentityResolver identities = config.identity().enabled()
                    ? IdentityResolver.create(config.identity(), config.users(), elasticsearch, passwordChecks, clock)
                    : IdentityResolver.off();
            boolean identityEnabled = identities.enabled();
            Ownership ownership = new Ownership(ContinuationSecrets.tokens(config.identity(), identityEnabled));
            RequestClassifier classifier = new RequestClassifier(clock);
            KibanaInternalAccess kibanaInternal =
                    new KibanaInternalAccess(config.identity().kibanaInternal());
            Supplier<LimitRules> withBuiltIns = new BuiltInRoles(rules, kibanaInternal);
            TimeSpanChecks timeChecks = new TimeSpanChecks(new TimeFields(config.indexTimeFields()));
            Quotas quotas = Quotas.create(scheduler);
            IndexResolver indexResolver = new IndexResolver(elasticsearch, INDEX_CACHE_TTL, INDEX_CACHE_ENTRIES);
            Map<String, Cache<?, ?>> caches = new LinkedHashMap<>(identities.caches());
            caches.put("indices", indexResolver.cache());
            monitor.started(caches, quotas);
            Decider decider = new Decider(
                    identityEnabled,
                    withBuiltIns,
                    kibanaInternal,
                    timeChecks,
                    quotas,
                    indexResolver,
                    ownership,
                    monitor);
            RequestPipeline pipeline = new RequestPipeline(
                    identities,
                    classifier,
                    ownership,
                    decider,
                    UniqueCountRewrites.create(definitions, uniqueCounts, indexResolver, clock),
                    new AsyncSearchDeadlines(elasticsearch, scheduler, clock),
                    new DecisionHeader(identityEnabled, config.identity().decisionHeader()),
                    clock);
            SourceReads sourceReads =
                    new SourceReads(identityEnabled, withBuiltIns, classifier, indexResolver, timeChecks, clock);
            UvReadPolicy reads = (caller, definition, from, to) ->
                    sourceReads.check(caller, definition.source(), definition.timeField(), from, to);
            return new Governance(
                    pipeline, Optional.of(pipeline), reads, Optional.of(new DailyBudgets(withBuiltIns, quotas)));
        }
    }
}
