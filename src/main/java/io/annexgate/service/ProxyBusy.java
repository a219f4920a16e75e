package io.annexgate.service;

/**
 * The proxied remote is reachable but has as many connections open as it may
 * ({@code annexgate.proxy.max-connections}), and none came free in time: answered 503 with the
 * message as body, so the client can try again later.
 */
public class ProxyBusy extends ProxyUnavailable {

    public ProxyBusy(String message, Throwable cause) {
        super(message, cause);
    }
}
