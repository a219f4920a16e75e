package io.annexgate.proxy.p2p;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/** An open byte-stream pair to a peer that speaks the P2P line protocol, as a transport made it. */
public interface P2PChannel extends AutoCloseable {

    /** Bytes from the peer. */
    InputStream input();

    /** Bytes to the peer. */
    OutputStream output();

    /**
     * The token to send with AUTH; empty when the transport authenticated already and the peer
     * opens with AUTH-SUCCESS by itself (git-annex-shell).
     */
    Optional<String> authToken();

    /** Whether the peer may still be there (a child process still running, say). */
    boolean isAlive();

    /** What the peer said besides the protocol (a child's stderr), for error messages; may be empty. */
    String diagnostics();

    /** For logs: which peer this is. */
    String description();

    /** Closes the streams and ends the peer; never blocks for long, never throws. */
    @Override
    void close();
}
