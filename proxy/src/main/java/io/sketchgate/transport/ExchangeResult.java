package io.sketchgate.transport;

/** What the access log and the request observers record about a finished exchange; -1 for unknown times. */
record ExchangeResult(int status, long bytesIn, long bytesOut, String upstream, long upstreamMillis, long tookMillis) {
    static ExchangeResult local(int status, long bytesIn, long bytesOut) {
        return new ExchangeResult(status, bytesIn, bytesOut, null, -1, -1);
    }
}
