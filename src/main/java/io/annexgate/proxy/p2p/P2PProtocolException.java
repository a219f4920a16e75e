package io.annexgate.proxy.p2p;

import java.io.IOException;

/** The peer sent something the P2P line protocol does not allow here: a malformed or unexpected message. */
public class P2PProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    public P2PProtocolException(String message) {
        super(message);
    }
}
