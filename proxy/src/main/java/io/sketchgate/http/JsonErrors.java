package io.sketchgate.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * What a JSON parse error tells a user: Jackson's sentence and where, never its source description
 * ({@code [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)...]}), which names library
 * internals and, with the feature on, would echo the body.
 */
public final class JsonErrors {
    private JsonErrors() {}

    /** {@code Unexpected character ('}' (code 125)): was expecting double-quote to start field name, at line 1, column 9}. */
    public static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "invalid JSON" : e.getOriginalMessage();
        message = message.lines().findFirst().orElse(message).strip();
        JsonLocation where = e.getLocation();
        if (where == null || where.getLineNr() < 1) {
            return message;
        }
        return message + ", at line " + where.getLineNr() + ", column " + where.getColumnNr();
    }
}
