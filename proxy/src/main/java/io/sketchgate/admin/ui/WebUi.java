package io.sketchgate.admin.ui;

import io.sketchgate.api.ApiHandler;
import io.sketchgate.api.ApiRequest;
import io.sketchgate.api.ApiResponse;
import io.sketchgate.api.SketchgateApi;
import io.sketchgate.http.ErrorType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /_sketchgate/ui/...}: the admin web page. Files need no credentials (the login form is one of them);
 * every API call the page makes carries the user's and is checked there. The page's own files are revalidated on
 * every load ({@code no-cache} with an ETag) so an upgrade shows at once; WebJar files are cached for a day.
 */
public final class WebUi implements ApiHandler {
    public static final String ROUTE = "ui";
    /** The page loads scripts and styles from itself only and may not be framed (clickjacking an admin). */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self';"
            + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final UiAssets assets;

    public WebUi(UiAssets assets) {
        this.assets = assets;
    }

    public static WebUi fromClasspath() {
        return new WebUi(new UiAssets(WebUi.class.getClassLoader()));
    }

    @Override
    public CompletableFuture<ApiResponse> handle(ApiRequest request) {
        if (!request.method().equals("GET")) {
            throw SketchgateApi.methodNotAllowed(request, "GET");
        }
        List<String> path = request.segments().subList(1, request.segments().size());
        UiAssets.Asset asset = assets.find(path)
                .orElseThrow(() -> ErrorType.NOT_FOUND.exception("The admin web page has no file ["
                        + String.join("/", path) + "]. Open /_sketchgate/ui/ in a browser."));
        String cacheControl = asset.vendor() ? "public, max-age=86400" : "no-cache";
        String ifNoneMatch = request.headers().get("If-None-Match");
        boolean unchanged = ifNoneMatch != null
                && Arrays.stream(ifNoneMatch.split(",")).map(String::trim).anyMatch(asset.etag()::equals);
        ApiResponse response = unchanged
                ? new ApiResponse(304, asset.contentType(), new byte[0], Map.of())
                : new ApiResponse(200, asset.contentType(), asset.body(), Map.of());
        return CompletableFuture.completedFuture(response.withHeader("Cache-Control", cacheControl)
                .withHeader("ETag", asset.etag())
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .withHeader("X-Frame-Options", "DENY")
                .withHeader("Referrer-Policy", "no-referrer"));
    }
}
