package io.sketchgate.proxy;

/** What the access log records about a finished exchange. */
record ExchangeResult(int status, long bytesIn, long bytesOut, String upstream, long upstreamMillis) {
    static ExchangeResult local(int status, long bytesIn, long bytesOut) {
        return new ExchangeResult(status, bytesIn, bytesOut, null, -1);
    }
}
