package io.annexgate.proxy.p2p;

import java.io.IOException;

/** The remote did not answer (or send or accept data) within the connection's timeout; the connection is closed. */
public class P2PTimeoutException extends IOException {

    private static final long serialVersionUID = 1L;

    public P2PTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
