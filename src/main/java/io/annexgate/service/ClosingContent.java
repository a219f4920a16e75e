package io.annexgate.service;

import io.annexgate.repository.ByteSink;
import java.io.IOException;

/** Content that gives something back (a transfer slot, a repository's use) once, when it is closed. */
final class ClosingContent implements ContentSource {

    private final ContentSource content;
    private final Runnable after;
    private boolean closed;

    ClosingContent(ContentSource content, Runnable after) {
        this.content = content;
        this.after = after;
    }

    @Override
    public long lengthFrom(long offset) {
        return content.lengthFrom(offset);
    }

    @Override
    public long transferTo(long offset, ByteSink out, boolean signalInvalidity) throws IOException {
        return content.transferTo(offset, out, signalInvalidity);
    }

    @Override
    public boolean servesRanges() {
        return content.servesRanges();
    }

    @Override
    public long transferRange(long offset, long length, ByteSink out) throws IOException {
        return content.transferRange(offset, length, out);
    }

    @Override
    public boolean isLocal() {
        return content.isLocal();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            content.close();
        } finally {
            after.run();
        }
    }
}
