package io.sketchgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated copies of the good config files: each loads, or is refused with {@link ConfigException} problems that
 * each name the file — never another exception, never a silent half-config.
 */
class ConfigFuzzTest {
    private static final int INPUTS = 3_000;
    private static final String[] TOKENS = {
        "-1",
        "0",
        "1e999",
        "99999999999999999999",
        "null",
        "~",
        "true",
        "[]",
        "{}",
        "\"\"",
        "7d",
        "7 days",
        "10mb",
        "${UNDEFINED_VAR}",
        "${HOME:-x}",
        "\"\\u0000\"",
        "&anchor",
        "*alias",
        "!!binary x",
        "[unclosed",
        "{a: 1",
        "'single'",
        "\"" + "x".repeat(3000) + "\"",
        "Mars/Olympus",
        "http://",
        "-",
        ":",
        "é✓"
    };

    @Test
    void everyMutation_loadsOrIsRefusedWithProblemsNamingTheFile(@TempDir Path dir) throws Exception {
        List<List<String>> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/config"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("good-"))
                    .sorted()
                    .toList()) {
                seeds.add(Files.readAllLines(file));
            }
        }
        assertThat(seeds).hasSizeGreaterThanOrEqualTo(4);
        SplittableRandom random = new SplittableRandom(20261125);
        Map<String, Integer> outcomes = new TreeMap<>();
        ConfigLoader loader = new ConfigLoader(Map.of("SKETCHGATE_SECRET", "0123456789abcdef0123456789abcdef"));
        for (int i = 0; i < INPUTS; i++) {
            List<String> lines = new ArrayList<>(seeds.get(random.nextInt(seeds.size())));
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations && !lines.isEmpty(); m++) {
                mutate(lines, random);
            }
            Path file = dir.resolve("fuzz-" + i + ".yml");
            byte[] bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(20) == 0 && bytes.length > 0) {
                bytes[random.nextInt(bytes.length)] = (byte) 0xC3; // invalid UTF-8
            }
            Files.write(file, bytes);
            try {
                loader.load(file);
                outcomes.merge("loaded", 1, Integer::sum);
            } catch (ConfigException refused) {
                assertThat(refused.problems())
                        .as("problems of " + String.join("\\n", lines))
                        .isNotEmpty();
                for (String problem : refused.problems()) {
                    assertThat(problem).as("names the file").contains(file.toString());
                }
                outcomes.merge("refused", 1, Integer::sum);
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("unexpected " + e + " for:\n" + String.join("\n", lines), e);
            }
            Files.delete(file);
        }
        System.out.println("ConfigFuzzTest: " + INPUTS + " mutated files; " + outcomes);
        assertThat(outcomes.getOrDefault("refused", 0)).isPositive();
    }

    private static void mutate(List<String> lines, SplittableRandom random) {
        int at = random.nextInt(lines.size());
        String line = lines.get(at);
        switch (random.nextInt(8)) {
            case 0 -> lines.remove(at);
            case 1 -> lines.add(at, line); // duplicate key
            case 2 ->
                lines.set(
                        at,
                        line.replaceFirst(
                                ":\\s.*$",
                                java.util.regex.Matcher.quoteReplacement(
                                        ": " + TOKENS[random.nextInt(TOKENS.length)])));
            case 3 -> lines.set(at, typo(line, random)); // misspelt key
            case 4 -> lines.set(at, "  ".repeat(random.nextInt(4)) + line.strip()); // indentation
            case 5 -> lines.subList(at, lines.size()).clear(); // truncated file
            case 6 -> lines.set(at, line + " " + TOKENS[random.nextInt(TOKENS.length)]);
            default -> {
                int other = random.nextInt(lines.size());
                String value = lines.get(other).replaceFirst("^[^:]*:", "");
                lines.set(
                        at,
                        line.replaceFirst(
                                ":.*$",
                                java.util.regex.Matcher.quoteReplacement(":" + value))); // a value of another key
            }
        }
    }

    private static String typo(String line, SplittableRandom random) {
        char[] chars = line.toCharArray();
        int colon = line.indexOf(':');
        if (colon <= 1) {
            return line;
        }
        int i = random.nextInt(colon);
        chars[i] = Character.isLetter(chars[i]) ? (char) ('a' + random.nextInt(26)) : chars[i];
        return new String(chars);
    }
}
