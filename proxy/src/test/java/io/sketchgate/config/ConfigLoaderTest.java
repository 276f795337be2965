package io.sketchgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    private static final Path DIRECTORY = Path.of("src/test/resources/config");
    private static final Path TLS = DIRECTORY.resolve("tls");

    @TempDir
    Path temp;

    @Test
    void fullFile_setsEveryKey() throws ConfigException {
        SketchgateConfig config =
                new ConfigLoader(Map.of("ES_PASSWORD", "s3cret")).load(DIRECTORY.resolve("good-full.yml"));

        ServerTlsConfig serverTls = new ServerTlsConfig(TLS.resolve("server.crt"), TLS.resolve("server.key"));
        ClientTlsConfig caTls = new ClientTlsConfig(Optional.of(TLS.resolve("ca.crt")), true);
        assertThat(config.source()).isEqualTo(DIRECTORY.resolve("good-full.yml"));
        assertThat(config.listeners().elasticsearch())
                .isEqualTo(new ListenerConfig("0.0.0.0", 9301, Optional.of(serverTls)));
        assertThat(config.listeners().kibana())
                .contains(new KibanaListenerConfig(
                        "127.0.0.2",
                        5702,
                        URI.create("https://kibana.internal:5601"),
                        Optional.of(serverTls),
                        Optional.of(new ClientTlsConfig(Optional.of(TLS.resolve("ca.crt")), false))));
        assertThat(config.elasticsearch())
                .isEqualTo(new ElasticsearchConfig(
                        List.of(URI.create("https://es1.internal:9200"), URI.create("https://es2.internal:9243")),
                        Optional.of("sketchgate"),
                        Optional.of(new Secret("s3cret")),
                        Optional.empty(),
                        Optional.of(caTls),
                        Duration.ofMillis(500)));
        assertThat(config.limits())
                .isEqualTo(new LimitsConfig(
                        20L << 20,
                        Duration.ofSeconds(2),
                        Duration.ofMinutes(3),
                        Duration.ZERO,
                        32 << 10,
                        4 << 10,
                        Duration.ofHours(1),
                        LimitsConfig.DEFAULT_HEADER_TIMEOUT,
                        LimitsConfig.DEFAULT_MAX_CONNECTIONS));
        assertThat(config.accessLog().path()).contains(Path.of("/var/log/sketchgate/access.jsonl"));
        assertThat(config.usage()).isEqualTo(new UsageConfig(Duration.ofSeconds(30), "sketchgate-usage-test", 5000));
        assertThat(config.metrics().unauthenticatedScrapeFrom())
                .extracting(AddressRange::toString)
                .containsExactly("10.20.0.15", "fd00::/8");
    }

    @Test
    void minimalFile_getsTheDocumentedDefaults() throws ConfigException {
        SketchgateConfig config = new ConfigLoader(Map.of()).load(DIRECTORY.resolve("good-minimal.yml"));

        assertThat(config.listeners())
                .isEqualTo(new ListenersConfig(
                        new ListenerConfig("127.0.0.1", 9201, Optional.empty()), Optional.empty(), "auto", 0, true));
        assertThat(config.elasticsearch())
                .isEqualTo(new ElasticsearchConfig(
                        List.of(URI.create("http://127.0.0.1:9200")),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Duration.ofSeconds(5)));
        assertThat(config.limits())
                .isEqualTo(new LimitsConfig(
                        10L << 20,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(120),
                        Duration.ofSeconds(30),
                        16 << 10,
                        8 << 10,
                        Duration.ofMinutes(5),
                        LimitsConfig.DEFAULT_HEADER_TIMEOUT,
                        LimitsConfig.DEFAULT_MAX_CONNECTIONS));
        assertThat(config.accessLog()).isEqualTo(new AccessLogConfig(Optional.of(Path.of("logs/access.jsonl"))));
    }

    @Test
    void httpsHostsWithoutTlsSection_getTheJdkTrustStoreAndHostnameVerification() throws Exception {
        SketchgateConfig config = load(Map.of(), """
                elasticsearch: { hosts: ["https://es.internal"] }
                listeners: { kibana: { upstream: "https://kibana.internal:443" } }
                """);

        assertThat(config.elasticsearch().tls()).contains(new ClientTlsConfig(Optional.empty(), true));
        assertThat(config.listeners().kibana().orElseThrow().upstreamTls())
                .contains(new ClientTlsConfig(Optional.empty(), true));
    }

    @Test
    void emptyAndNullValues_meanNotSet_soDefaultsApply() throws Exception {
        SketchgateConfig config = load(Map.of(), """
                listeners:
                  elasticsearch:
                  kibana: ~
                elasticsearch:
                  hosts: ["http://127.0.0.1:9200"]
                  username: ""
                  password: null
                limits:
                access_log: { enabled: false }
                """);

        assertThat(config.listeners().elasticsearch().port()).isEqualTo(9201);
        assertThat(config.listeners().kibana()).isEmpty();
        assertThat(config.elasticsearch().username()).isEmpty();
        assertThat(config.elasticsearch().password()).isEmpty();
        assertThat(config.limits().maxBodyBytes()).isEqualTo(10L << 20);
        assertThat(config.accessLog().path()).isEmpty();
    }

    @Test
    void placeholderInsideFlowMap_mustBeQuoted_asYamlReadsBracesThere() throws IOException {
        Path file = write("listeners: { elasticsearch: { port: ${PORT} } }\n");

        assertThat(problems(Map.of("PORT", "1"), file))
                .containsExactly(file + ":1:38: not valid YAML: expected ',' or '}',"
                        + " but got { (while parsing a flow mapping that starts at line 1, column 29)");
    }

    @ParameterizedTest(name = "port: {0} with PORT={1} is {2}")
    @CsvSource(delimiter = '|', nullValues = "unset", textBlock = """
            ${PORT}             | 9500   | 9500
            ${PORT:-9201}       | unset  | 9201
            ${PORT:-9201}       | ''     | 9201
            ${PORT:-9201}       | 9500   | 9500
            "9${PORT}"          | 5      | 95
            "${PORT}${PORT}"    | 1      | 11
            """)
    void environmentVariables_areSubstitutedBeforeTypeConversion(String value, String env, int port) throws Exception {
        Map<String, String> environment = env == null ? Map.of() : Map.of("PORT", env);

        SketchgateConfig config = load(
                environment,
                "listeners:\n  elasticsearch:\n    port: " + value + "\n"
                        + "elasticsearch: { hosts: [\"http://127.0.0.1:9200\"] }\n");

        assertThat(config.listeners().elasticsearch().port()).isEqualTo(port);
    }

    @Test
    void dollarDollarBrace_isALiteralDollarBrace() throws Exception {
        SketchgateConfig config = load(Map.of("X", "no"), """
                elasticsearch: { hosts: ["http://127.0.0.1:9200"], username: "a$${X}b$c", password: "$${X}" }
                """);

        assertThat(config.elasticsearch().username()).contains("a${X}b$c");
        assertThat(config.elasticsearch().password()).contains(new Secret("${X}"));
    }

    @Test
    void unsetVariableWithoutDefault_isAnErrorNamingVariableFileAndLine() throws IOException {
        Path file = write("""
                elasticsearch:
                  hosts: ["${ES_URL}"]
                """);

        assertThat(problems(Map.of(), file))
                .containsExactly(file + ":2: elasticsearch.hosts[0]: environment variable ES_URL"
                        + " is not set; set it or give a default with ${ES_URL:-default}, was \"${ES_URL}\"");
    }

    @Test
    void badValueFromTheEnvironment_isShownWithThePlaceholderItCameFrom() throws IOException {
        Path file = write("""
                elasticsearch: { hosts: ["http://127.0.0.1:9200"] }
                limits:
                  connect_timeout: ${CONNECT_TIMEOUT:-5s}
                """);

        assertThat(problems(Map.of("CONNECT_TIMEOUT", "2d"), file))
                .containsExactly(
                        file
                                + ":3: limits.connect_timeout: must be at most 1d, was \"2d\" (from \"${CONNECT_TIMEOUT:-5s}\")");
    }

    @Test
    void secrets_areMaskedInToStringAndPrintedYaml() throws Exception {
        SketchgateConfig config = load(Map.of("PW", "hunter2"), """
                elasticsearch: { hosts: ["http://127.0.0.1:9200"], username: u, password: "${PW}" }
                """);
        SketchgateConfig withApiKey = load(Map.of(), """
                elasticsearch: { hosts: ["http://127.0.0.1:9200"], api_key: "a2V5OnNlY3JldA==" }
                """);

        assertThat(config.toString()).doesNotContain("hunter2").contains("password=Optional[******]");
        assertThat(ConfigPrinter.toYaml(config)).doesNotContain("hunter2").contains("password: '******'");
        assertThat(withApiKey.toString()).doesNotContain("a2V5OnNlY3JldA==");
        assertThat(ConfigPrinter.toYaml(withApiKey))
                .doesNotContain("a2V5OnNlY3JldA==")
                .contains("api_key: '******'");
    }

    @Test
    void secrets_neverAppearInProblems() throws IOException {
        Path file = write("""
                elasticsearch:
                  hosts: ["http://127.0.0.1:9200"]
                  password: "hunter2${"
                  api_key: [hunter3]
                """);

        List<String> problems = problems(Map.of(), file);

        assertThat(String.join("\n", problems)).doesNotContain("hunter");
        assertThat(problems)
                .containsExactly(
                        file + ":3: elasticsearch.password: has a ${ without its closing }; write $${ for a literal ${",
                        file + ":4: elasticsearch.api_key: must be a single value, was a list",
                        file + ":4: elasticsearch.api_key: cannot be combined with elasticsearch.username and password;"
                                + " use one or the other");
    }

    @Test
    void printedYaml_loadsBackToTheSameConfig() throws Exception {
        SketchgateConfig config = new ConfigLoader(Map.of("ES_PASSWORD", "x")).load(DIRECTORY.resolve("good-full.yml"));
        String printed = ConfigPrinter.toYaml(config);

        SketchgateConfig reloaded = load(Map.of(), printed.replace("'******'", "x"));

        assertThat(reloaded.listeners()).isEqualTo(config.listeners());
        assertThat(reloaded.elasticsearch()).isEqualTo(config.elasticsearch());
        assertThat(reloaded.limits()).isEqualTo(config.limits());
        assertThat(reloaded.accessLog()).isEqualTo(config.accessLog());
    }

    @Test
    void documentedExample_loadsWithoutEnvironment() throws ConfigException {
        SketchgateConfig config = new ConfigLoader(Map.of()).load(Path.of("../config/sketchgate.yml"));

        assertThat(config.elasticsearch().hosts()).containsExactly(URI.create("http://127.0.0.1:9200"));
        assertThat(config.listeners().elasticsearch().port()).isEqualTo(9201);
        assertThat(config.accessLog().path()).contains(Path.of("logs/access.jsonl"));
    }

    @Test
    void documentedExample_takesCredentialsFromTheEnvironment() throws ConfigException {
        SketchgateConfig config = new ConfigLoader(
                        Map.of("ES_URL", "https://es.internal", "ES_USER", "sg", "ES_PASSWORD", "pw"))
                .load(Path.of("../config/sketchgate.yml"));

        assertThat(config.elasticsearch().hosts()).containsExactly(URI.create("https://es.internal:9200"));
        assertThat(config.elasticsearch().username()).contains("sg");
        assertThat(config.elasticsearch().password()).contains(new Secret("pw"));
    }

    @Test
    void missingFile_isOneProblemNamingIt() {
        Path file = temp.resolve("nope.yml");

        assertThat(problems(Map.of(), file)).containsExactly(file + ": no such file");
    }

    @Test
    void missingRelativeFile_saysWhereItLooked() {
        Path file = Path.of("no-such-dir/sketchgate.yml");

        assertThat(problems(Map.of(), file))
                .containsExactly("no-such-dir/sketchgate.yml: no such file (looked for " + file.toAbsolutePath() + ")");
    }

    @Test
    void directory_isOneProblemNamingIt() {
        assertThat(problems(Map.of(), temp)).containsExactly(temp + ": is a directory; give the path of a YAML file");
    }

    @Test
    void fileThatIsNotUtf8_isOneProblemNamingIt() throws IOException {
        Path file = temp.resolve("latin1.yml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});

        assertThat(problems(Map.of(), file)).containsExactly(file + ": is not UTF-8 text");
    }

    @Test
    void severalDocuments_areRejected() throws IOException {
        Path file = write("elasticsearch: { hosts: [\"http://a\"] }\n---\nlimits: {}\n");

        assertThat(problems(Map.of(), file))
                .containsExactly(file + ":2:1: not valid YAML: but found another document"
                        + " (expected a single document in the stream that starts at line 1, column 1)");
    }

    private SketchgateConfig load(Map<String, String> environment, String yaml) throws IOException, ConfigException {
        return new ConfigLoader(environment).load(write(yaml));
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(temp, "sketchgate", ".yml"), yaml);
    }

    private static List<String> problems(Map<String, String> environment, Path file) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(environment).load(file));
        assertThat(e).as("%s must not load", file).isNotNull();
        return e.problems();
    }
}
