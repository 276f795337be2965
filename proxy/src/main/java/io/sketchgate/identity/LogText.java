package io.sketchgate.identity;

/** Header values quoted in logs and messages: control characters replaced, length capped, so a client cannot forge log lines. */
final class LogText {
    private static final int MAX = 100;

    private LogText() {}

    static String safe(String value) {
        String cut = value.length() > MAX ? value.substring(0, MAX) + "..." : value;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
