package io.annexgate.proxy.p2p;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A fake remote for tests: a channel whose other end is driven by a script on a virtual thread. */
final class ScriptedPeer implements P2PChannel {

    /** What the fake remote does, given its end of the wire. */
    @FunctionalInterface
    interface Script {
        void run(P2PWire remote) throws Exception;
    }

    private final PipedInputStream fromPeer = new PipedInputStream(1 << 16);
    private final PipedOutputStream toClient;
    private final PipedInputStream fromClient = new PipedInputStream(1 << 16);
    private final PipedOutputStream toPeer;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean closed;
    private final java.util.concurrent.CountDownLatch closedLatch = new java.util.concurrent.CountDownLatch(1);

    ScriptedPeer(Script script) {
        try {
            toClient = new PipedOutputStream(fromPeer);
            toPeer = new PipedOutputStream(fromClient);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().start(() -> {
            try {
                script.run(new P2PWire(fromClient, toClient));
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
            // a piped stream fails once its writer thread ends: stay until the client closes
            try {
                closedLatch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Completes when the script ends. */
    CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public InputStream input() {
        return fromPeer;
    }

    @Override
    public OutputStream output() {
        return toPeer;
    }

    @Override
    public Optional<String> authToken() {
        return Optional.empty();
    }

    @Override
    public boolean isAlive() {
        return !closed;
    }

    @Override
    public String diagnostics() {
        return "";
    }

    @Override
    public String description() {
        return "scripted peer";
    }

    @Override
    public void close() {
        closed = true;
        closedLatch.countDown();
        try {
            toPeer.close();
            fromPeer.close();
            toClient.close();
        } catch (IOException ignored) {
            // test peer
        }
    }
}
