package io.annexgate.service;

/**
 * The uuid is a remote this server proxies for, but it cannot be reached now (not configured, or
 * the connection could not be opened or broke): answered 502 with the message as body.
 */
public class ProxyUnavailable extends RuntimeException {

    public ProxyUnavailable(String message) {
        super(message);
    }

    public ProxyUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
