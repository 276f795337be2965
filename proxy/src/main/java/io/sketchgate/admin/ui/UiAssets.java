package io.sketchgate.admin.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web page's files, read from the classpath: the page under {@code sketchgate-ui/}, and the WebJars it uses under
 * {@code vendor/<webjar>/...}. A path is a list of already-decoded segments; only plain file names are looked up, so
 * no spelling ({@code ..}, encoded slashes, backslashes, hidden files) reaches outside these two roots.
 */
public final class UiAssets {
    static final String PAGE_ROOT = "sketchgate-ui/";
    /** The WebJars the page may load, by artifact id; nothing else on the classpath is served. */
    static final Map<String, String> WEBJARS = Map.of("chart.js", "org.webjars.npm");

    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json",
            "map", "application/json");

    /** One file: its bytes, content type, strong ETag and whether it comes from a versioned WebJar. */
    public record Asset(String path, byte[] body, String contentType, String etag, boolean vendor) {}

    private final ClassLoader loader;
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    public UiAssets(ClassLoader loader) {
        this.loader = loader;
    }

    /** The file at {@code segments} (empty: {@code index.html}), or empty when there is none that may be served. */
    public Optional<Asset> find(List<String> segments) {
        List<String> path = segments.isEmpty() ? List.of("index.html") : segments;
        for (String segment : path) {
            if (!SAFE_SEGMENT.matcher(segment).matches()) {
                return Optional.empty();
            }
        }
        String joined = String.join("/", path);
        return cache.computeIfAbsent(joined, key -> load(path));
    }

    private Optional<Asset> load(List<String> path) {
        String name = path.get(path.size() - 1);
        int dot = name.lastIndexOf('.');
        String contentType = dot < 0 ? null : CONTENT_TYPES.get(name.substring(dot + 1));
        if (contentType == null) {
            return Optional.empty(); // directories and unknown kinds of file are not served
        }
        boolean vendor = path.get(0).equals("vendor");
        Optional<String> resource = vendor ? webjarResource(path) : Optional.of(PAGE_ROOT + String.join("/", path));
        return resource.flatMap(this::read)
                .map(body -> new Asset(String.join("/", path), body, contentType, etag(body), vendor));
    }

    /** {@code vendor/chart.js/dist/chart.umd.js} → the versioned path inside the chart.js WebJar. */
    private Optional<String> webjarResource(List<String> path) {
        if (path.size() < 3 || !WEBJARS.containsKey(path.get(1))) {
            return Optional.empty();
        }
        String artifact = path.get(1);
        return webjarVersion(artifact)
                .map(version -> "META-INF/resources/webjars/" + artifact + "/" + version + "/"
                        + String.join("/", path.subList(2, path.size())));
    }

    private Optional<String> webjarVersion(String artifact) {
        String properties = "META-INF/maven/" + WEBJARS.get(artifact) + "/" + artifact + "/pom.properties";
        return read(properties).map(bytes -> {
            Properties p = new Properties();
            try {
                p.load(new java.io.ByteArrayInputStream(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return p.getProperty("version");
        });
    }

    private Optional<byte[]> read(String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the jar", e);
        }
    }

    private static String etag(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
