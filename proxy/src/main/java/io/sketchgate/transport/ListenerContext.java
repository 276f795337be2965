package io.sketchgate.transport;

import io.sketchgate.api.SketchgateApi;
import io.sketchgate.config.LimitsConfig;

/**
 * What every connection of one listener shares: created once at start-up, never per connection.
 *
 * @param name                 {@code elasticsearch} or {@code kibana}, as in the access log
 * @param scheme               {@code http} or {@code https}, for X-Forwarded-Proto
 * @param inspectSearchBodies  whether query endpoints are buffered for inspection (ES-facing listener only), when the policy is not {@link RequestPolicy#ALLOW_ALL}
 * @param policy               decides each request before it goes upstream
 * @param observer             told about each finished exchange (metrics, usage)
 */
public record ListenerContext(
        String name,
        String scheme,
        Upstream upstream,
        UpstreamConnector connector,
        LimitsConfig limits,
        AccessLog accessLog,
        boolean inspectSearchBodies,
        SketchgateApi api,
        RequestPolicy policy,
        InFlightRequests inFlight,
        RequestObserver observer) {

    BodyDecoder bodyDecoder() {
        return new BodyDecoder(limits.maxBodyBytes(), "limits.max_body");
    }
}
