package io.annexgate.service;

import java.io.IOException;
import io.annexgate.repository.ByteSink;

/** Content on its way to a client, of known size. */
public interface ContentSource extends AutoCloseable {

    /** Bytes a transfer from {@code offset} announces. */
    long lengthFrom(long offset);

    /**
     * Sends from {@code offset} to the end; returns the bytes sent, fewer than announced when the
     * content turned out invalid and {@code signalInvalidity} is on.
     */
    long transferTo(long offset, ByteSink out, boolean signalInvalidity) throws IOException;

    /**
     * Whether {@link #transferRange} can send a slice of the content without reading what comes
     * before it: local object files can; proxied and special-remote content is sent whole.
     */
    default boolean servesRanges() {
        return false;
    }

    /**
     * Sends {@code length} bytes from {@code offset} (a byte range the caller checked lies within
     * the content); returns the bytes sent, fewer when the content changed or shrank meanwhile.
     * Only when {@link #servesRanges()}.
     */
    default long transferRange(long offset, long length, ByteSink out) throws IOException {
        throw new UnsupportedOperationException("no byte ranges from this content");
    }

    /** Whether the content is present here, so its length is known before sending. */
    default boolean isLocal() {
        return true;
    }

    @Override
    void close() throws IOException;

    /** This content, with {@code after} run once when it is closed (a slot or a use given back). */
    default ContentSource whenClosed(Runnable after) {
        return new ClosingContent(this, after);
    }
}
