package io.annexgate.proxy.p2p;

import java.io.IOException;

/** The remote answered a request with ERROR; unless said otherwise the connection stays usable. */
public class P2PRemoteException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String remoteMessage;

    public P2PRemoteException(String remoteMessage) {
        super("remote error: " + remoteMessage);
        this.remoteMessage = remoteMessage;
    }

    /** The text after ERROR. */
    public String remoteMessage() {
        return remoteMessage;
    }
}
