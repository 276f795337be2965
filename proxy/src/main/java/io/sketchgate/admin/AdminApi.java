package io.sketchgate.admin;

import io.sketchgate.api.SketchgateApi;
import io.sketchgate.runtime.RuntimeLimits;
import io.sketchgate.transport.RequestPolicy;
import io.sketchgate.uniques.DefinitionChanges;

/** Registers the admin endpoints on the Sketchgate API: {@code quotas}, {@code audit}, {@code explain}. */
public final class AdminApi {
    private AdminApi() {}

    /** {@code PUT}/{@code DELETE} of unique-count definitions, stored with the run-time limits. */
    public static DefinitionChanges definitionChanges(RuntimeLimits limits) {
        return new UniqueCountChanges(limits);
    }

    public static SketchgateApi.Builder register(
            SketchgateApi.Builder api, RuntimeLimits limits, RequestPolicy policy) {
        return api.route("quotas", new QuotasApi(limits))
                .route("audit", new AuditApi(limits))
                .route("explain", new ExplainApi(policy));
    }
}
