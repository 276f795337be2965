package io.sketchgate.admin;

import io.sketchgate.proxy.RequestPolicy;
import io.sketchgate.proxy.SketchgateApi;

/** Registers the admin endpoints on the Sketchgate API: {@code quotas}, {@code audit}, {@code explain}. */
public final class AdminApi {
    private AdminApi() {
    }

    public static SketchgateApi.Builder register(SketchgateApi.Builder api, RuntimeLimits limits, RequestPolicy policy) {
        return api.route("quotas", new QuotasApi(limits))
                .route("audit", new AuditApi(limits))
                .route("explain", new ExplainApi(policy));
    }
}
