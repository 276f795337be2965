package io.sketchgate.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code curl} command line from the banner or the docs, read as curl would (shell quoting, line continuations,
 * the options the examples use) and sent with the JDK's HTTP client, so the test needs no curl binary.
 *
 * @param text           the command as written, for messages
 * @param expectedStatus the status the text around it documents (a refusal), or empty for "any 2xx"
 */
record CurlExample(
        String text,
        String method,
        URI uri,
        Optional<String> user,
        Map<String, String> headers,
        Optional<String> body,
        OptionalInt expectedStatus) {

    /** Options whose argument only shapes curl's own output. */
    private static final List<String> OUTPUT_OPTIONS = List.of("-o", "--output", "-w", "--write-out", "-D");

    private static final Pattern DOCUMENTED_STATUS = Pattern.compile("\"status\"\\s*:\\s*(\\d{3})|-> (\\d{3})");

    /**
     * Every {@code curl} command in {@code text}. A command starts at {@code curl} at the start of a line and ends
     * at a line end outside quotes and not escaped, or at a pipe. {@code statusAfter}: whether the documented
     * status is in the lines after the command (docs: the answer is shown below it) or the comment line before it
     * (the banner).
     */
    static List<CurlExample> parseAll(String text, boolean statusAfter) {
        List<CurlExample> examples = new ArrayList<>();
        int from = 0;
        Matcher start = Pattern.compile("(?m)^\\s*(?:\\$ )?curl ").matcher(text);
        List<int[]> spans = new ArrayList<>();
        while (start.find(from)) {
            int begin = text.indexOf("curl ", start.start());
            int end = commandEnd(text, begin);
            spans.add(new int[] {begin, end});
            from = end;
        }
        for (int i = 0; i < spans.size(); i++) {
            int begin = spans.get(i)[0];
            int end = spans.get(i)[1];
            String context;
            if (statusAfter) {
                int next = i + 1 < spans.size() ? spans.get(i + 1)[0] : text.length();
                context = text.substring(end, next);
            } else {
                int lineStart = text.lastIndexOf('\n', text.lastIndexOf('\n', begin) - 1) + 1;
                context = text.substring(lineStart, Math.max(lineStart, text.lastIndexOf('\n', begin)));
            }
            examples.add(parse(text.substring(begin, end), context));
        }
        return examples;
    }

    private static int commandEnd(String text, int begin) {
        char quote = 0;
        for (int i = begin; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '\\') {
                i++;
            } else if (c == '\n' || c == '|') {
                return i;
            }
        }
        return text.length();
    }

    private static CurlExample parse(String command, String context) {
        List<String> words = words(command);
        String method = null;
        URI uri = null;
        Optional<String> user = Optional.empty();
        Map<String, String> headers = new LinkedHashMap<>();
        Optional<String> body = Optional.empty();
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("-u") || word.equals("--user")) {
                user = Optional.of(words.get(++i));
            } else if (word.equals("-X") || word.equals("--request")) {
                method = words.get(++i);
            } else if (word.startsWith("-X")) {
                method = word.substring(2);
            } else if (word.equals("-H") || word.equals("--header")) {
                String header = words.get(++i);
                int colon = header.indexOf(':');
                headers.put(
                        header.substring(0, colon).strip(),
                        header.substring(colon + 1).strip());
            } else if (List.of("-d", "--data", "--data-raw", "--data-binary").contains(word)) {
                String data = words.get(++i);
                if (data.startsWith("@")) {
                    throw new IllegalArgumentException("reads its body from a file, which the test cannot: " + command);
                }
                body = Optional.of(data);
            } else if (OUTPUT_OPTIONS.contains(word)) {
                i++;
            } else if (word.startsWith("-")) {
                // -s, -i, -si, -S, -v, -D-: how curl prints, not what it sends
            } else {
                uri = URI.create(word.contains("://") ? word : "http://" + word);
            }
        }
        if (uri == null) {
            throw new IllegalArgumentException("no URL in " + command);
        }
        if (method == null) {
            method = body.isPresent() ? "POST" : "GET";
        }
        Matcher status = DOCUMENTED_STATUS.matcher(context);
        OptionalInt expected = OptionalInt.empty();
        if (status.find()) {
            expected = OptionalInt.of(Integer.parseInt(status.group(1) != null ? status.group(1) : status.group(2)));
        }
        return new CurlExample(command, method, uri, user, headers, body, expected);
    }

    /** Splits as a POSIX shell does for the quoting the examples use: '...', "...", backslash, line continuation. */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '\'') {
                int close = command.indexOf('\'', i + 1);
                word = word == null ? new StringBuilder() : word;
                word.append(command, i + 1, close);
                i = close;
            } else if (c == '"') {
                word = word == null ? new StringBuilder() : word;
                for (i++; command.charAt(i) != '"'; i++) {
                    if (command.charAt(i) == '\\' && "\"\\$`".indexOf(command.charAt(i + 1)) >= 0) {
                        i++;
                    }
                    word.append(command.charAt(i));
                }
            } else if (c == '\\') {
                char next = command.charAt(i + 1);
                i++;
                if (next != '\n') {
                    word = word == null ? new StringBuilder() : word;
                    word.append(next);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '#' && word == null) {
                break;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    /** The same example against another proxy and with real passwords. */
    CurlExample with(UnaryOperator<URI> target, UnaryOperator<String> credentials) {
        return new CurlExample(text, method, target.apply(uri), user.map(credentials), headers, body, expectedStatus);
    }

    HttpResponse<String> send(HttpClient client) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body.map(b -> HttpRequest.BodyPublishers.ofString(b, StandardCharsets.UTF_8))
                                .orElse(HttpRequest.BodyPublishers.noBody()));
        headers.forEach(request::header);
        user.ifPresent(u -> request.header(
                "Authorization", "Basic " + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8))));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public String toString() {
        return text;
    }
}
