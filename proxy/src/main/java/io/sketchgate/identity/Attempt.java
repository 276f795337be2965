package io.sketchgate.identity;

import io.sketchgate.http.Identity;

/** What one source made of a request. */
sealed interface Attempt {
    /** The source identified the request; no later source is asked. */
    record Identified(Identity identity) implements Attempt {}

    /** The request carries nothing this source checks; the next source is asked. */
    record NotMine() implements Attempt {}

    /**
     * The source checked credentials and refused them; later sources are still asked (a Basic credential may be
     * a static user Elasticsearch does not know), but if none accepts, the request gets 401, never anonymous.
     */
    record Rejected(String reason) implements Attempt {}

    Attempt NOT_MINE = new NotMine();
}
