package io.sketchgate.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.sketchgate.proxy.ApiCaller;
import io.sketchgate.proxy.ProxyException;

/** The 403 of admin endpoints, in Elasticsearch's shape, saying what would be allowed. */
final class AdminAccess {
    private AdminAccess() {
    }

    static ProxyException forbidden(ApiCaller caller, String action, String howElse) {
        String who = caller.user().equals("-") ? "An unidentified caller" : "User " + caller.user();
        return new ProxyException(HttpResponseStatus.FORBIDDEN, "security_exception",
                who + " may not " + action + ": it needs the role " + ApiCaller.ADMIN_ROLE + howElse + ".");
    }
}
