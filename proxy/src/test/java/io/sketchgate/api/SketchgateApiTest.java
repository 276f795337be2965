package io.sketchgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.sketchgate.esapi.RequestPath;
import io.sketchgate.http.Identity;
import io.sketchgate.http.ProxyException;
import io.sketchgate.transport.Upstream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SketchgateApiTest {
    private static final byte[] NO_BODY = new byte[0];
    private final Upstream upstream = new Upstream("elasticsearch", List.of(URI.create("http://127.0.0.1:1")), 9200);

    @Test
    void routesByFirstSegmentInAnySpellingWithDecodedParameters() {
        AtomicReference<ApiRequest> seen = new AtomicReference<>();
        SketchgateApi api = SketchgateApi.builder(upstream)
                .route("uv", request -> {
                    seen.set(request);
                    return CompletableFuture.completedFuture(ApiResponse.text(200, "text/plain", "ok"));
                })
                .build();
        String uri = "/_SKETCHGATE/UV/weblogs_uv?from=now-7d&filter.country=KR,US&split=country&split=device";
        ApiResponse response = api.handle(
                        "GET", uri, RequestPath.parse(uri), new DefaultHttpHeaders(), NO_BODY, "10.0.0.1")
                .join();
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("ok");
        ApiRequest request = seen.get();
        assertThat(request.segments()).containsExactly("UV", "weblogs_uv");
        assertThat(request.parameter("from")).contains("now-7d");
        assertThat(request.parameter("filter.country")).contains("KR,US");
        assertThat(request.parameters().get("split")).containsExactly("country", "device");
        assertThat(request.remoteAddress()).isEqualTo("10.0.0.1");
    }

    @Test
    void unknownEndpointIs404NamingTheEndpointsThatExist() {
        SketchgateApi api = SketchgateApi.builder(upstream)
                .route("uv", request -> CompletableFuture.completedFuture(ApiResponse.json(200, "x")))
                .build();
        CompletableFuture<ApiResponse> answer = api.handle(
                "GET",
                "/_sketchgate/nope",
                RequestPath.parse("/_sketchgate/nope"),
                new DefaultHttpHeaders(),
                NO_BODY,
                "-");
        assertThatThrownBy(answer::join)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(ProxyException.class)
                .hasMessageContaining("[GET /_sketchgate/nope]")
                .hasMessageContaining("/_sketchgate/health")
                .hasMessageContaining("/_sketchgate/uv");
    }

    @Test
    void callerComesFromTheConfiguredAuthenticator() {
        SketchgateApi api = SketchgateApi.builder(upstream)
                .authenticator(headers -> CompletableFuture.completedFuture(Identity.of(
                        headers.get("X-Test-User"), java.util.List.of(Identity.ADMIN_ROLE), Identity.Source.STATIC)))
                .route(
                        "whoami",
                        request -> request.caller()
                                .thenApply(caller -> ApiResponse.text(
                                        200, "text/plain", caller.user() + " admin=" + caller.isAdmin())))
                .build();
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set("X-Test-User", "root");
        ApiResponse response = api.handle(
                        "GET", "/_sketchgate/whoami", RequestPath.parse("/_sketchgate/whoami"), headers, NO_BODY, "-")
                .join();
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("root admin=true");
    }

    @Test
    void handlerThatThrowsFailsTheFutureAndUnexpectedFailuresBecome500() {
        SketchgateApi api = SketchgateApi.builder(upstream)
                .route("boom", request -> {
                    throw new IllegalStateException("kaput");
                })
                .build();
        CompletableFuture<ApiResponse> answer = api.handle(
                "GET",
                "/_sketchgate/boom",
                RequestPath.parse("/_sketchgate/boom"),
                new DefaultHttpHeaders(),
                NO_BODY,
                "-");
        assertThat(answer).isCompletedExceptionally();
        ProxyException error =
                ApiResponses.asProxyException(answer.handle((r, e) -> e).join());
        assertThat(error.status().code()).isEqualTo(500);
        assertThat(error.getMessage()).contains("IllegalStateException: kaput");
    }

    @Test
    void healthIsBuiltInAndRefusesOtherMethods() throws Exception {
        SketchgateApi api = SketchgateApi.builder(upstream).build();
        ApiResponse health = api.handle(
                        "GET",
                        "/_sketchgate/health",
                        RequestPath.parse("/_sketchgate/health"),
                        new DefaultHttpHeaders(),
                        NO_BODY,
                        "-")
                .join();
        assertThat(new ObjectMapper().readTree(health.body()).get("live").asBoolean())
                .isTrue();
        CompletableFuture<ApiResponse> post = api.handle(
                "POST",
                "/_sketchgate/health",
                RequestPath.parse("/_sketchgate/health"),
                new DefaultHttpHeaders(),
                NO_BODY,
                "-");
        assertThat(post.handle((r, e) ->
                                ApiResponses.asProxyException(e).status().code())
                        .join())
                .isEqualTo(405);
    }
}
