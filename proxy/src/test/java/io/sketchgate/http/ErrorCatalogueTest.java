package io.sketchgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/errors.md is generated from {@link ErrorType}; this test fails when the two differ, and rewrites the page
 * when run with {@code -Dsketchgate.writeDocs=true}. It also fails when production code names an error type that
 * the catalogue lacks.
 */
class ErrorCatalogueTest {
    private static final Path DOCS = Path.of("..", "docs", "errors.md");
    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final Pattern TYPE_LITERAL = Pattern.compile("\"([a-z_]+_exception)\"");

    /** Types Sketchgate only reads in Elasticsearch's answers and never answers itself. */
    private static final Set<String> READ_FROM_ELASTICSEARCH =
            Set.of("index_not_found_exception", "resource_already_exists_exception");

    @Test
    void docsErrorsMd_isGeneratedFromTheCatalogue() throws IOException {
        String generated = markdown();
        if (Boolean.getBoolean("sketchgate.writeDocs")) {
            Files.writeString(DOCS, generated);
        }
        assertThat(Files.readString(DOCS))
                .as("docs/errors.md is stale: run ./mvnw -pl proxy test -Dtest=ErrorCatalogueTest"
                        + " -Dsketchgate.writeDocs=true")
                .isEqualTo(generated);
    }

    @Test
    void everyErrorTypeInTheSources_isInTheCatalogue() throws IOException {
        Set<String> catalogued =
                Arrays.stream(ErrorType.values()).map(ErrorType::type).collect(Collectors.toSet());
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher literal = TYPE_LITERAL.matcher(Files.readString(file));
                while (literal.find()) {
                    named.add(literal.group(1));
                }
            }
        }
        named.removeAll(READ_FROM_ELASTICSEARCH);

        assertThat(named).isNotEmpty().allSatisfy(type -> assertThat(catalogued).contains(type));
    }

    @Test
    void refusalsAreNever401Or5xx_exceptIdentityAndFailures() {
        for (ErrorType error : ErrorType.values()) {
            int status = error.status().code();
            if (status == 401) {
                assertThat(error).isEqualTo(ErrorType.UNAUTHENTICATED);
            }
            if (status >= 500) {
                assertThat(error.name()).matches("INTERNAL|STORE_UNAVAILABLE|UPSTREAM.*|TOO_MANY_CONNECTIONS");
            }
        }
    }

    static String markdown() {
        StringBuilder page = new StringBuilder();
        page.append("# Errors Sketchgate answers\n\n")
                .append("<!-- Generated from io.sketchgate.http.ErrorType by ErrorCatalogueTest; do not edit. -->\n\n")
                .append("Every error Sketchgate answers itself comes in Elasticsearch's error shape, so Kibana and\n")
                .append("Elasticsearch clients show `reason` verbatim:\n\n")
                .append("```json\n")
                .append(
                        "{\"error\":{\"root_cause\":[{\"type\":\"…\",\"reason\":\"…\"}],\"type\":\"…\",\"reason\":\"…\"},")
                .append("\"status\":400}\n")
                .append("```\n\n")
                .append("One translator (`io.sketchgate.http.ErrorTranslator`) makes every answer: an unexpected\n")
                .append("failure is logged with its stack trace and answered `500 sketchgate_internal_exception`;\n")
                .append("it is never forwarded to Elasticsearch. Refusals are 4xx other than 401 (only identity\n")
                .append("answers 401, with `WWW-Authenticate`); quota refusals carry `Retry-After`.\n\n")
                .append("| status | `error.type` | catalogue name | when |\n")
                .append("|---|---|---|---|\n");
        for (ErrorType error : ErrorType.values()) {
            page.append("| ")
                    .append(error.status().code())
                    .append(" | `")
                    .append(error.type())
                    .append("` | `")
                    .append(error.name())
                    .append("` | ")
                    .append(error.when().replace("|", "\\|"))
                    .append(" |\n");
        }
        return page.toString();
    }
}
