package io.annexgate.service;

/**
 * A proxied remote answered 404 (a version it does not speak, a uuid it does not serve, a key it
 * lacks): answered 404 with the remote's text, so a client falls back to an older version as it
 * would talking to that remote directly.
 */
public class ProxiedNotFound extends RuntimeException {

    public ProxiedNotFound(String message) {
        super(message);
    }
}
