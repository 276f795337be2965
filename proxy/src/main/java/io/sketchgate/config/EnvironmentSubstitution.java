package io.sketchgate.config;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in a scalar with values from the environment map
 * the loader was given; {@code $${} is a literal {@code ${}. The default applies when the variable is unset
 * or empty (as in a POSIX shell). Values are inserted verbatim: no nesting, no second pass.
 */
final class EnvironmentSubstitution {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, String> environment;

    EnvironmentSubstitution(Map<String, String> environment) {
        this.environment = environment;
    }

    /** @throws IllegalArgumentException naming the variable when it is unset and has no default */
    String apply(String raw) {
        if (!raw.contains("${")) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        int i = 0;
        while (i < raw.length()) {
            if (raw.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (raw.startsWith("${", i)) {
                int end = raw.indexOf('}', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("has a ${ without its closing }; write $${ for a literal ${");
                }
                out.append(resolve(raw.substring(i + 2, end)));
                i = end + 1;
            } else {
                out.append(raw.charAt(i++));
            }
        }
        return out.toString();
    }

    private String resolve(String reference) {
        int separator = reference.indexOf(":-");
        String name = separator < 0 ? reference : reference.substring(0, separator);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("\"${" + reference + "}\" is not a valid environment variable reference,"
                    + " use ${NAME} or ${NAME:-default} (write $${ for a literal ${)");
        }
        String value = environment.get(name);
        if (separator >= 0) {
            return value == null || value.isEmpty() ? reference.substring(separator + 2) : value;
        }
        if (value == null) {
            throw new IllegalArgumentException("environment variable " + name + " is not set;"
                    + " set it or give a default with ${" + name + ":-default}");
        }
        return value;
    }
}
