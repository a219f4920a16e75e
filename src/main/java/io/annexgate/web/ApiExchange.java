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

    /**
     * Starts a versioned request: records the endpoint, refuses a version it does not exist in,
     * records the version, and hands back the version with the request's parameters.
     */
    static Versioned versioned(HttpServletRequest request, Endpoint endpoint, String versionSegment) {
        begin(request, endpoint);
        ApiVersion version = RequestParameters.version(versionSegment, endpoint);
        request.setAttribute(VERSION, version);
        return new Versioned(version, new RequestParameters(request));
    }

    /** The version a request asked for, and its parameters still to be read. */
    record Versioned(ApiVersion version, RequestParameters params) { }

    static void outcome(HttpServletRequest request, String outcome) {
        request.setAttribute(OUTCOME, outcome);
    }
}
