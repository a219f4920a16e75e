package io.annexgate.proxy.special;

import io.annexgate.protocol.Key;
import io.annexgate.repository.ByteSink;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * A special remote Annexgate stores to itself (rather than through git-annex): the four things
 * git-annex asks of one. Special remotes cannot lock content. Content read back is not verified
 * here; the client verifies it.
 */
public interface SpecialRemote {

    /** For logs and error texts, e.g. {@code directory /srv/store}. */
    String description();

    boolean checkPresent(Key key) throws IOException;

    /** The stored content of {@code key}, or empty when the remote does not have it. */
    Optional<StoredObject> retrieve(Key key) throws IOException;

    /**
     * Starts storing {@code key}, {@code size} bytes long (the upload's announced length; at most
     * that many are written): bytes written to {@link Storing#out()} become the content once
     * {@link Storing#commit()} is called (after the caller verified them); closing without commit
     * leaves nothing visible on the remote.
     *
     * @throws Refused when the remote will not take it now, with the reason
     */
    Storing store(Key key, long size) throws IOException;

    /**
     * Removes the content; true when it is gone (or was never there).
     *
     * @throws Refused when the remote will not remove it, with the reason
     */
    boolean remove(Key key) throws IOException;

    /**
     * The remote declines the action for a reason of its own (no room, content it keeps, an upload
     * of the same key under way): the action fails cleanly, nothing changed.
     */
    final class Refused extends IOException {

        public Refused(String reason) {
            super(reason);
        }
    }

    /**
     * The remote cannot be reached now (its directory is gone or unmounted), so nothing can be said
     * about its content: answered as a remote that cannot be reached, never as "absent".
     */
    final class Unavailable extends IOException {

        public Unavailable(String reason) {
            super(reason);
        }
    }

    /** Content on the remote, of known size. */
    interface StoredObject extends AutoCloseable {

        long size();

        /** Sends from {@code offset} to the end; returns the bytes sent. */
        long transferTo(long offset, ByteSink out) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** An upload in progress. */
    interface Storing extends AutoCloseable {

        OutputStream out();

        /** Makes the written bytes the key's content on the remote. */
        void commit() throws IOException;

        /** Discards the upload unless it was committed. */
        @Override
        void close() throws IOException;
    }
}
