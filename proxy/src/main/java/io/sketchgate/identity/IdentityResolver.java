package io.sketchgate.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.config.IdentityConfig;
import io.sketchgate.config.IdentitySource;
import io.sketchgate.config.KibanaInternalConfig;
import io.sketchgate.config.UsersConfig;
import io.sketchgate.http.Identity;
import io.sketchgate.http.ProxyException;
import io.sketchgate.http.Stages;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.elasticsearch.client.RestClient;

/**
 * Says who sent a request: start reading here.
 *
 * <p>The configured sources ({@code identity.sources}) are asked in order; the first that identifies the request
 * wins. Then {@code identity.kibana_internal} applies: a user it lists, identified by {@code elasticsearch} or
 * {@code static}, gets its one role and {@link Identity#internal()}. (Signed headers are minted for browser users,
 * so they never make an internal identity.) If no source identifies the request:
 * <ul>
 *   <li>it had an {@code Authorization} header: 401, whatever {@code anonymous_role} says, since a wrong password
 *       must not quietly become anonymous access;
 *   <li>it had none: the anonymous identity with {@code anonymous_role}, or 401 without one.
 * </ul>
 * With identity off (no {@code identity} section) every request is {@code Identity.anonymous("default")}.
 *
 * <p>The future completes on the calling thread when no source has to wait (signed headers, cached verdicts),
 * else on the Elasticsearch client's I/O thread or the bcrypt executor: a Netty caller continues on its event
 * loop ({@code thenAcceptAsync(..., ctx.executor())}). It fails with {@link IdentityException} (401) or another
 * {@link ProxyException} (502 when Elasticsearch cannot be asked); answer both with {@code ErrorResponses},
 * adding {@code WWW-Authenticate} for the first. Thread-safe; one instance per loaded config.
 */
public final class IdentityResolver {
    private final boolean enabled;
    private final List<Source> sources;
    private final Optional<String> anonymousRole;
    private final KibanaInternalConfig kibanaInternal;
    private final String howToAuthenticate;
    private final Identity offIdentity = Identity.anonymous(IdentityConfig.OFF_ROLE);

    private IdentityResolver(
            boolean enabled,
            List<Source> sources,
            Optional<String> anonymousRole,
            KibanaInternalConfig kibanaInternal,
            String howToAuthenticate) {
        this.enabled = enabled;
        this.sources = List.copyOf(sources);
        this.anonymousRole = anonymousRole;
        this.kibanaInternal = kibanaInternal;
        this.howToAuthenticate = howToAuthenticate;
    }

    /**
     * @param elasticsearch  the client for Sketchgate's own calls ({@code ElasticsearchClients.create}); the
     *                       {@code elasticsearch} source sends each request's own credentials with it instead
     * @param bcryptExecutor runs the {@code static} source's bcrypt checks; a small bounded pool, never an event loop
     */
    public static IdentityResolver create(
            IdentityConfig identity,
            UsersConfig users,
            RestClient elasticsearch,
            Executor bcryptExecutor,
            Clock clock) {
        return create(identity, users, elasticsearch, bcryptExecutor, clock, Ticker.systemTicker());
    }

    static IdentityResolver create(
            IdentityConfig identity,
            UsersConfig users,
            RestClient elasticsearch,
            Executor bcryptExecutor,
            Clock clock,
            Ticker ticker) {
        List<Source> sources = new ArrayList<>();
        for (IdentitySource source : identity.sources()) {
            sources.add(
                    switch (source) {
                        case SIGNED_HEADER ->
                            new SignedHeaderSource(identity.signedHeader().orElseThrow(), clock);
                        case ELASTICSEARCH -> new ElasticsearchSource(elasticsearch, identity.elasticsearch(), ticker);
                        case STATIC -> new StaticSource(users, identity.staticCacheTtl(), bcryptExecutor, ticker);
                    });
        }
        return new IdentityResolver(
                identity.enabled(),
                sources,
                identity.anonymousRole(),
                identity.kibanaInternal(),
                howToAuthenticate(identity.sources()));
    }

    /** Identity off: every request is {@code Identity.anonymous("default")}. */
    public static IdentityResolver off() {
        return new IdentityResolver(false, List.of(), Optional.empty(), KibanaInternalConfig.DEFAULT, "");
    }

    public boolean enabled() {
        return enabled;
    }

    /** The sources' caches by metric name ({@code identity_elasticsearch}, {@code identity_static}). */
    public Map<String, Cache<?, ?>> caches() {
        Map<String, Cache<?, ?>> caches = new LinkedHashMap<>();
        for (Source source : sources) {
            String name = source instanceof ElasticsearchSource ? "identity_elasticsearch" : "identity_static";
            source.cache().ifPresent(cache -> caches.put(name, cache));
        }
        return caches;
    }

    public CompletableFuture<Identity> resolve(HttpHeaders headers) {
        if (!enabled) {
            return CompletableFuture.completedFuture(offIdentity);
        }
        return tryFrom(0, headers, null);
    }

    private CompletableFuture<Identity> tryFrom(int index, HttpHeaders headers, Attempt.Rejected rejected) {
        if (index == sources.size()) {
            return noIdentity(headers, rejected);
        }
        CompletableFuture<Attempt> attempt;
        try {
            attempt = sources.get(index).attemptAsync(headers);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        // a synchronous source (signed headers) or a cached verdict has answered already: no future per step
        CompletableFuture<Identity> identity = Stages.thenCompose(attempt, result -> {
            if (result instanceof Attempt.Identified identified) {
                return CompletableFuture.completedFuture(internal(identified.identity()));
            }
            Attempt.Rejected firstRejection =
                    rejected != null ? rejected : result instanceof Attempt.Rejected r ? r : null;
            return tryFrom(index + 1, headers, firstRejection);
        });
        return identity.isDone() && !identity.isCompletedExceptionally()
                ? identity
                : identity.exceptionallyCompose(e -> CompletableFuture.failedFuture(unwrap(e)));
    }

    private CompletableFuture<Identity> noIdentity(HttpHeaders headers, Attempt.Rejected rejected) {
        if (rejected != null) {
            return CompletableFuture.failedFuture(new IdentityException("Unable to authenticate: " + rejected.reason()
                    + ". Check the user name and password or the API key. " + howToAuthenticate));
        }
        if (headers.contains(HttpHeaderNames.AUTHORIZATION)) {
            Authorization authorization = Authorization.of(headers.get(HttpHeaderNames.AUTHORIZATION));
            // the same words for an unknown user and a wrong password, so that 401s do not reveal user names
            String why = authorization.basic().isPresent()
                    ? "the user name or the password is wrong"
                    : "no configured identity source accepts them";
            return CompletableFuture.failedFuture(new IdentityException(
                    "Unable to authenticate " + authorization.describe() + ": " + why + ". " + howToAuthenticate));
        }
        if (anonymousRole.isPresent()) {
            return CompletableFuture.completedFuture(Identity.anonymous(anonymousRole.get()));
        }
        return CompletableFuture.failedFuture(
                new IdentityException("Authentication required: the request has no credentials. " + howToAuthenticate));
    }

    private Identity internal(Identity identity) {
        if (identity.source() == Identity.Source.SIGNED_HEADER
                || !kibanaInternal.users().contains(identity.user())) {
            return identity;
        }
        return new Identity(identity.user(), Set.of(kibanaInternal.role()), identity.source(), true);
    }

    private static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The second half of every 401 reason: what this configuration accepts. */
    private static String howToAuthenticate(List<IdentitySource> sources) {
        List<String> ways = new ArrayList<>();
        if (sources.contains(IdentitySource.ELASTICSEARCH)) {
            ways.add("an Authorization header Elasticsearch accepts (Basic, Bearer or ApiKey)");
        }
        if (sources.contains(IdentitySource.STATIC)) {
            ways.add("Basic credentials of a user in Sketchgate's users section");
        }
        if (sources.contains(IdentitySource.SIGNED_HEADER)) {
            ways.add("X-Sketchgate-User headers signed by the login proxy");
        }
        return ways.isEmpty()
                ? "Sketchgate accepts no credentials in this configuration."
                : "Send " + String.join(", or ", ways) + ".";
    }
}
