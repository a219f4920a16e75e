package io.annexgate.repository;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where content goes: takes whole buffers, so file-backed ones reach the socket without a copy in between. */
@FunctionalInterface
public interface ByteSink {

    /** Writes all remaining bytes of {@code buffer}. */
    void write(ByteBuffer buffer) throws IOException;

}
