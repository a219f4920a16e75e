package io.annexgate.web;

import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Endpoint;
import jakarta.servlet.http.HttpServletRequest;

/** What a controller tells the metrics filter about the request it handled. */
final class ApiExchange {

    static final String ENDPOINT = ApiExchange.class.getName() + ".endpoint";
    static final String VERSION = ApiExchange.class.getName() + ".version";
    static final String OUTCOME = ApiExchange.class.getName() + ".outcome";

    private ApiExchange() {
    }

    static void begin(HttpServletRequest request, Endpoint endpoint) {
        request.setAttribute(ENDPOINT, endpoint);
    }

    static void version(HttpServletRequest request, ApiVersion version) {
        request.setAttribute(VERSION, version);
    }

    static void outcome(HttpServletRequest request, String outcome) {
        request.setAttribute(OUTCOME, outcome);
    }
}
