package io.sketchgate.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.config.EsIdentityConfig;
import io.sketchgate.http.ErrorType;
import io.sketchgate.http.Identity;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code elasticsearch} source: the request's own {@code Authorization} (Basic, Bearer, ApiKey) is checked
 * with {@code GET /_security/_authenticate}, sent with that header in place of Sketchgate's own credentials.
 *
 * <p>Outcomes are cached in Caffeine under the SHA-256 of the header ({@link CredentialHash}), never the header:
 * an accepted credential for {@code identity.elasticsearch.cache_ttl}, a refused one (ES answered 401) for
 * {@code failure_cache_ttl}, so a client retrying a wrong password costs Elasticsearch one call per few seconds.
 * Concurrent requests with the same credential share one call. Anything else (ES unreachable, 5xx) is not cached
 * and fails the request with 502, as forwarding it would.
 */
final class ElasticsearchSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String AUTHENTICATE = "/_security/_authenticate";
    private static final long MAX_ENTRIES = 100_000;

    /** What Elasticsearch said about one credential; {@code user} is null when it refused it. */
    private record Outcome(String user, List<String> esRoles, String reason) {
        boolean accepted() {
            return user != null;
        }
    }

    private final RestClient client;
    private final EsIdentityConfig config;
    private final AsyncCache<String, Outcome> cache;

    ElasticsearchSource(RestClient client, EsIdentityConfig config, Ticker ticker) {
        this.client = client;
        this.config = config;
        Duration success = config.cacheTtl();
        Duration failure = config.failureCacheTtl();
        this.cache = Source.outcomeCache(MAX_ENTRIES, ticker, outcome -> outcome.accepted() ? success : failure);
    }

    @Override
    public Optional<Cache<?, ?>> cache() {
        return Optional.of(cache.synchronous());
    }

    @Override
    public CompletableFuture<Attempt> attemptAsync(HttpHeaders headers) {
        Optional<Authorization> authorization = Authorization.of(headers);
        if (authorization.isEmpty()) {
            return CompletableFuture.completedFuture(Attempt.NOT_MINE);
        }
        return cache.get(
                        CredentialHash.of(authorization.get().header()),
                        (key, executor) -> authenticate(authorization.get()))
                .thenApply(outcome -> outcome.accepted()
                        ? new Attempt.Identified(
                                Identity.of(outcome.user(), mapRoles(outcome.esRoles()), Identity.Source.ELASTICSEARCH))
                        : new Attempt.Rejected(outcome.reason()));
    }

    /** The Sketchgate roles of Elasticsearch roles: each mapped role, or the {@code "*"} mapping for one not listed. */
    List<String> mapRoles(List<String> esRoles) {
        if (config.roleMapping().isEmpty()) {
            return esRoles;
        }
        Map<String, List<String>> mapping = config.roleMapping().get();
        Set<String> roles = new LinkedHashSet<>();
        for (String esRole : esRoles) {
            List<String> mapped = mapping.get(esRole);
            if (mapped == null) {
                mapped = mapping.getOrDefault(EsIdentityConfig.ANY_OTHER_ROLE, List.of());
            }
            roles.addAll(mapped);
        }
        return List.copyOf(roles);
    }

    /** The cache's keys, for tests that check no credential is kept. */
    Set<String> cacheKeys() {
        return Set.copyOf(cache.synchronous().asMap().keySet());
    }

    private CompletableFuture<Outcome> authenticate(Authorization authorization) {
        Request request = new Request("GET", AUTHENTICATE);
        request.setOptions(RequestOptions.DEFAULT.toBuilder().addHeader("Authorization", authorization.header()));
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        client.performRequestAsync(request, new ResponseListener() {
            @Override
            public void onSuccess(Response response) {
                try {
                    JsonNode body = JSON.readTree(EntityUtils.toString(response.getEntity()));
                    List<String> roles = new ArrayList<>();
                    body.path("roles").forEach(role -> roles.add(role.asText()));
                    String user = body.path("username").asText("");
                    if (user.isEmpty()) {
                        result.completeExceptionally(unavailable("answered without a username"));
                        return;
                    }
                    result.complete(new Outcome(user, List.copyOf(roles), null));
                } catch (IOException | RuntimeException e) {
                    result.completeExceptionally(unavailable("answered with a body Sketchgate cannot read ("
                            + e.getClass().getSimpleName() + ")"));
                }
            }

            @Override
            public void onFailure(Exception e) {
                if (e instanceof ResponseException re
                        && re.getResponse().getStatusLine().getStatusCode() == 401) {
                    LOG.info(
                            "Elasticsearch refused {}; remembering that for {}",
                            authorization.describe(),
                            config.failureCacheTtl());
                    result.complete(new Outcome(null, List.of(), "Elasticsearch refused " + authorization.describe()));
                } else if (e instanceof ResponseException re) {
                    int status = re.getResponse().getStatusLine().getStatusCode();
                    result.completeExceptionally(unavailable("answered " + status + reasonOf(re.getResponse())
                            + (status == 400 || status == 500 ? " (is security enabled on the cluster?)" : "")));
                } else {
                    result.completeExceptionally(
                            unavailable("could not be reached (" + e.getClass().getSimpleName()
                                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")"));
                }
            }
        });
        return result;
    }

    private static String reasonOf(Response response) {
        try {
            JsonNode body = JSON.readTree(EntityUtils.toString(response.getEntity()));
            return Optional.ofNullable(body.path("error").path("reason").textValue())
                    .map(r -> ": " + r)
                    .orElse("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static CompletionException unavailable(String what) {
        return new CompletionException(ErrorType.UPSTREAM_UNAVAILABLE.exception(
                "Sketchgate could not check the request's credentials with GET " + AUTHENTICATE + ": Elasticsearch "
                        + what + ". Try again in a moment."));
    }
}
