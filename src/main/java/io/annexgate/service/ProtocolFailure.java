package io.annexgate.service;

/**
 * The protocol action failed in a way the reference reports as a 500 with the message as body,
 * e.g. a second concurrent upload of one key.
 */
public class ProtocolFailure extends RuntimeException {

    public ProtocolFailure(String message) {
        super(message);
    }
}
