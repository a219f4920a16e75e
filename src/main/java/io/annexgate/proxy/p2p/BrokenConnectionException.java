package io.annexgate.proxy.p2p;

import java.io.IOException;

/** A request on a connection already left in an unknown protocol state, or closed. */
public class BrokenConnectionException extends IOException {

    private static final long serialVersionUID = 1L;

    public BrokenConnectionException(String message) {
        super(message);
    }
}
