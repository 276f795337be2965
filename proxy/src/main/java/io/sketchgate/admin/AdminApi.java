package io.sketchgate.admin;

import io.sketchgate.api.ApiHandler;
import io.sketchgate.pipeline.RequestPipeline;
import io.sketchgate.runtime.RuntimeLimits;
import io.sketchgate.uniques.DefinitionChanges;

/** The admin endpoints, for the server to register with every other route in one place. */
public final class AdminApi {
    private AdminApi() {}

    /** {@code PUT}/{@code DELETE} of unique-count definitions, stored with the run-time limits. */
    public static DefinitionChanges definitionChanges(RuntimeLimits limits) {
        return new UniqueCountChanges(limits);
    }

    /** {@code /_sketchgate/quotas}: run-time roles and user overrides. */
    public static ApiHandler quotas(RuntimeLimits limits) {
        return new QuotasApi(limits);
    }

    /** {@code /_sketchgate/audit}: who changed what. */
    public static ApiHandler audit(RuntimeLimits limits) {
        return new AuditApi(limits);
    }

    /** {@code /_sketchgate/explain}: the decision a request would get, and why. */
    public static ApiHandler explain(RequestPipeline pipeline) {
        return new ExplainApi(pipeline);
    }
}
