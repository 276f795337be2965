package io.sketchgate.identity;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.config.Secret;
import io.sketchgate.config.SignedHeaderConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of the {@code signed_header} identity source per request, the piece {@code PolicyBenchmark} leaves out.
 *
 * <p>{@code attemptSameHeaders}: {@link SignedHeaderSource#attempt} with the four headers a browser sends on every
 * request (the remembered path: header counts and clock checks, no HMAC). {@code verifyKeyedMac}: the HMAC check of a
 * header set seen for the first time, from the source's keyed {@code Mac} prototype. {@code verifyNewMac}: the same
 * check with {@code Mac.getInstance} and {@code init} per call, as every request did before.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar 'io.sketchgate.identity.SignedHeaderBenchmark' -f 1 -wi 3 -i 5 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignedHeaderBenchmark {
    private static final Secret SECRET = new Secret("benchmark-secret-0123456789abcdef0123456789");

    private SignedHeaderSource source;
    private HeaderSignature.Verifier verifier;
    private HttpHeaders headers;
    private String user;
    private String roles;
    private String expires;
    private String signature;

    @Setup
    public void setUp() {
        source = new SignedHeaderSource(new SignedHeaderConfig(SECRET, Duration.ofDays(1)), Clock.systemUTC());
        verifier = new HeaderSignature.Verifier(SECRET);
        headers = new DefaultHttpHeaders();
        HeaderSignature.headers(
                        SECRET, "bench", List.of("analyst"), Instant.now().plus(Duration.ofHours(12)))
                .forEach(headers::add);
        headers.add("Content-Type", "application/json")
                .add("Accept", "application/json")
                .add("Host", "127.0.0.1:9200");
        user = headers.get(IdentityHeaders.USER);
        roles = headers.get(IdentityHeaders.ROLES);
        expires = headers.get(IdentityHeaders.EXPIRES);
        signature = headers.get(IdentityHeaders.SIGNATURE);
        if (!(source.attempt(headers) instanceof Attempt.Identified)) {
            throw new IllegalStateException("the benchmark's headers do not verify");
        }
    }

    @Benchmark
    public Attempt attemptSameHeaders() {
        return source.attempt(headers);
    }

    @Benchmark
    public boolean verifyKeyedMac() {
        return verifier.matches(user, roles, expires, signature);
    }

    @Benchmark
    public boolean verifyNewMac() {
        return new HeaderSignature.Verifier(SECRET).matches(user, roles, expires, signature);
    }
}
