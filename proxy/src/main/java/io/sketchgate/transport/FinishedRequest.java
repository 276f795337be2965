package io.sketchgate.transport;

/**
 * What an exchange amounted to, for {@link RequestObserver}s.
 *
 * @param user           who asked ({@code -} when unknown: identity off, Sketchgate's API, refused before identity)
 * @param decision       what the policy decided
 * @param rejectionCode  for {@link Decision#REJECTED}, which limit or check refused ({@link ProxyException#code()});
 *                       null otherwise
 * @param status         the status sent to the client (499 when the client went away)
 * @param bytesIn        request body bytes read from the client
 * @param bytesOut       response body bytes written to the client
 * @param upstreamMillis time from sending upstream to the end of the response; -1 when nothing was forwarded
 * @param durationNanos  time from the request head to the end of the exchange
 * @param tookMillis     Elasticsearch's {@code took} of the response; -1 when it had none
 */
public record FinishedRequest(
        String user,
        Decision decision,
        String rejectionCode,
        int status,
        long bytesIn,
        long bytesOut,
        long upstreamMillis,
        long durationNanos,
        long tookMillis) {

    /** The policy's verdict, as metrics label it. */
    public enum Decision {
        /** Forwarded upstream (possibly changed, e.g. clamped). */
        ALLOWED("allowed"),
        /** Refused by the policy (or identity) with an error. */
        REJECTED("rejected"),
        /** Answered by Sketchgate itself without Elasticsearch (e.g. every search of an {@code _msearch} refused). */
        ANSWERED("answered"),
        /** A request to Sketchgate's own API ({@code /_sketchgate/...}). */
        API("api"),
        /** Ended before any decision: malformed, too large, or the client left while the policy decided. */
        UNDECIDED("undecided");

        private final String label;

        Decision(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
