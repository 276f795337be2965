package io.sketchgate.rewrite;

/**
 * Why a search is not provably a unique-count question; thrown inside the readers, caught by
 * {@link RewriteMatcher}, never seen by clients (the search then goes to Elasticsearch).
 */
final class NotRewritable extends RuntimeException {
    NotRewritable(String reason) {
        super(reason, null, false, false);
    }
}
