package io.sketchgate.admin;

import io.sketchgate.api.ApiRequest;
import io.sketchgate.http.ErrorType;
import io.sketchgate.http.Identity;
import io.sketchgate.http.ProxyException;
import java.util.concurrent.CompletableFuture;

/** The admin endpoints' one rule: the caller, from the configured identity sources, has {@code sketchgate_admin}. */
final class AdminAccess {
    private AdminAccess() {}

    /** The caller, or a 403 {@code security_exception} (401 when there are no valid credentials at all). */
    static CompletableFuture<Identity> requireAdmin(ApiRequest request) {
        return request.caller().thenApply(caller -> {
            if (!caller.isAdmin()) {
                throw ErrorType.FORBIDDEN.exception("action [" + request.method()
                        + " " + request.path() + "] is unauthorized for user [" + caller.user()
                        + "]: Sketchgate's admin"
                        + " API needs the role " + Identity.ADMIN_ROLE
                        + ". Ask an administrator to give it to you.");
            }
            return caller;
        });
    }

    /** A 403 for endpoints that allow part of what they serve to non-admins, saying what would be allowed. */
    static ProxyException forbidden(Identity caller, String action, String howElse) {
        String who = caller.user().equals("-") ? "An unidentified caller" : "User " + caller.user();
        return ErrorType.FORBIDDEN.exception(
                who + " may not " + action + ": it needs the role " + Identity.ADMIN_ROLE + howElse + ".");
    }
}
