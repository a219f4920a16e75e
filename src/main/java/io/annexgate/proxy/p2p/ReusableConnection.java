package io.annexgate.proxy.p2p;

/** A connection a pool may keep between requests while it is in a known protocol state. */
public interface ReusableConnection extends AutoCloseable {

    /** True when the connection is in an unknown protocol state or closed: never reuse it. */
    boolean isBroken();

    /** Closes it; never throws. */
    @Override
    void close();
}
