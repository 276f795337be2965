package io.sketchgate.identity;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.config.UserConfig;
import io.sketchgate.config.UsersConfig;
import io.sketchgate.http.Identity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code static} source: Basic auth against {@code users.NAME.password_hash} (bcrypt).
 *
 * <p>bcrypt is slow on purpose (cost 12 is about 0.2 s of CPU), so it never runs on the caller's thread (a Netty
 * event loop) but on {@code bcryptExecutor}, and its verdict is cached under SHA-256 of {@code user:password}:
 * a match for {@code identity.static.cache_ttl}, a mismatch for {@link #FAILURE_TTL}, so neither a busy dashboard
 * nor a client retrying a wrong password pays bcrypt on every request. Concurrent checks of one credential share
 * one bcrypt run.
 *
 * <p>A Basic user not in {@code users} (or without a hash) is not this source's: a later source may know them.
 */
final class StaticSource implements Source {
    static final Duration FAILURE_TTL = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(StaticSource.class);
    private static final long MAX_ENTRIES = 10_000;

    private final UsersConfig users;
    private final Executor bcryptExecutor;
    private final AsyncCache<String, Boolean> verified;

    StaticSource(UsersConfig users, Duration cacheTtl, Executor bcryptExecutor, Ticker ticker) {
        this.users = users;
        this.bcryptExecutor = bcryptExecutor;
        this.verified = Source.outcomeCache(MAX_ENTRIES, ticker, ok -> ok ? cacheTtl : FAILURE_TTL);
    }

    @Override
    public Optional<Cache<?, ?>> cache() {
        return Optional.of(verified.synchronous());
    }

    @Override
    public CompletableFuture<Attempt> attemptAsync(HttpHeaders headers) {
        Optional<Authorization> basic = Authorization.of(headers).filter(Authorization::isBasic);
        if (basic.isEmpty()) {
            return CompletableFuture.completedFuture(Attempt.NOT_MINE);
        }
        Optional<Authorization.BasicCredentials> credentials = basic.get().basic();
        if (credentials.isEmpty()) {
            return CompletableFuture.completedFuture(new Attempt.Rejected("the Basic credentials are malformed"));
        }
        String user = credentials.get().user();
        Optional<UserConfig> config =
                users.user(user).filter(u -> u.passwordHash().isPresent());
        if (config.isEmpty()) {
            return CompletableFuture.completedFuture(Attempt.NOT_MINE);
        }
        String hash = config.get().passwordHash().get().value();
        String password = credentials.get().password();
        return verified.get(
                        CredentialHash.of(user + ":" + password),
                        (key, executor) ->
                                CompletableFuture.supplyAsync(() -> verify(user, password, hash), bcryptExecutor))
                .thenApply(ok -> ok
                        ? new Attempt.Identified(Identity.of(user, config.get().roles(), Identity.Source.STATIC))
                        // answered as an unknown user is: a 401 must not tell which user names exist
                        : Attempt.NOT_MINE);
    }

    private static boolean verify(String user, String password, String hash) {
        boolean ok;
        try {
            ok = BCrypt.verifyer()
                    .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
                    .verified;
        } catch (IllegalArgumentException tooLongOrMalformed) {
            ok = false;
        }
        if (!ok) {
            LOG.info("Wrong password for static user [{}]; remembering that for {}", LogText.safe(user), FAILURE_TTL);
        }
        return ok;
    }

    Set<String> cacheKeys() {
        return Set.copyOf(verified.synchronous().asMap().keySet());
    }
}
