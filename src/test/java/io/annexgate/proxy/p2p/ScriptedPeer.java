package io.annexgate.proxy.p2p;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A fake remote for tests: a channel whose other end is driven by a script on a virtual thread. */
final class ScriptedPeer implements P2PChannel {

    /** What the fake remote does, given its end of the wire. */
    @FunctionalInterface
    interface Script {
        void run(P2PWire remote) throws Exception;
    }

    // operating-system pipes: unlike piped streams they do not mind which thread reads or writes
    // (a held lock is watched by a thread of its own, which ends when the lock is released)
    private final InputStream fromPeer;
    private final OutputStream toClient;
    private final InputStream fromClient;
    private final OutputStream toPeer;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean closed;

    ScriptedPeer(Script script) {
        try {
            Pipe peerToClient = Pipe.open();
            Pipe clientToPeer = Pipe.open();
            fromPeer = Channels.newInputStream(peerToClient.source());
            toClient = Channels.newOutputStream(peerToClient.sink());
            fromClient = Channels.newInputStream(clientToPeer.source());
            toPeer = Channels.newOutputStream(clientToPeer.sink());
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
        for (AutoCloseable end : new AutoCloseable[] {toPeer, fromPeer, toClient}) {
            try {
                end.close();
            } catch (Exception ignored) {
                // test peer
            }
        }
    }
}
