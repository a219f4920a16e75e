package io.annexgate.proxy.pool;

import io.annexgate.proxy.p2p.ReusableConnection;

/** A connection that is only a name and two flags, for pool tests and the benchmark. */
public final class FakeConnection implements ReusableConnection {

    private final String name;
    private volatile boolean broken;
    private volatile boolean closed;

    public FakeConnection(String name) {
        this.name = name;
    }

    public void breakIt() {
        broken = true;
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public boolean isBroken() {
        return broken || closed;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return name;
    }
}
