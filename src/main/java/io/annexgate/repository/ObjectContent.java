package io.annexgate.repository;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * An open object being sent to a client. If the file changes while it is sent (an unlocked file
 * modified in the work tree), the last byte is withheld so that the client sees fewer bytes than
 * announced and discards what it got: the protocol's way of saying "invalid". A file that shrinks
 * while it is sent ends the transfer short in the same way.
 */
public final class ObjectContent implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final Map<String, Object> identity;
    private final long size;

    private ObjectContent(Path path, FileChannel channel, Map<String, Object> identity) {
        this.path = path;
        this.channel = channel;
        this.identity = identity;
        this.size = ((Number) identity.get("size")).longValue();
    }

    public static ObjectContent open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new ObjectContent(path, channel, identityOf(path));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private static Map<String, Object> identityOf(Path path) throws IOException {
        return Files.readAttributes(path, "unix:ino,size,lastModifiedTime,ctime");
    }

    public long size() {
        return size;
    }

    /** How many bytes a transfer from {@code offset} sends: zero when the offset is at or past the end. */
    public long lengthFrom(long offset) {
        return Math.max(0, size - offset);
    }

    /**
     * Sends the content from {@code offset} to the end.
     *
     * @return the number of bytes sent; one less than {@link #lengthFrom} when the file changed
     *     underneath and {@code signalInvalidity} is set
     */
    public long transferTo(long offset, ByteSink out, boolean signalInvalidity) throws IOException {
        return send(offset, lengthFrom(offset), out, signalInvalidity);
    }

    /**
     * Sends {@code length} bytes from {@code offset}, clipped to the end of the file (a byte
     * range); the last byte is withheld when the file changed underneath, as for a whole transfer.
     *
     * @return the number of bytes sent
     */
    public long transferRange(long offset, long length, ByteSink out) throws IOException {
        return send(offset, Math.min(length, lengthFrom(offset)), out, true);
    }

    private long send(long offset, long remaining, ByteSink out, boolean signalInvalidity) throws IOException {
        if (remaining <= 0) {
            return 0;
        }
        long withheld = signalInvalidity ? 1 : 0;
        long sent = copy(offset, remaining - withheld, out);
        if (sent < remaining - withheld) {
            return sent;
        }
        if (withheld == 1) {
            if (!unchanged()) {
                return sent;
            }
            sent += copy(offset + sent, 1, out);
        }
        return sent;
    }

    /**
     * Copies with positional reads through a pooled buffer: a file that shrinks meanwhile ends the
     * copy short (the caller sees fewer bytes than announced), never a fault as a mapping would.
     *
     * @return the bytes copied; fewer than {@code count} when the file ended first
     */
    private long copy(long position, long count, ByteSink out) throws IOException {
        ByteBuffer buffer = TransferBuffers.SHARED.take();
        try {
            long copied = 0;
            while (copied < count) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), count - copied));
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, position + copied + buffer.position()) < 0) {
                        break;
                    }
                }
                buffer.flip();
                int n = buffer.remaining();
                if (n > 0) {
                    out.write(buffer);
                    copied += n;
                }
                if (n < buffer.limit() || n == 0) {
                    return copied;
                }
            }
            return copied;
        } finally {
            TransferBuffers.SHARED.give(buffer);
        }
    }

    private boolean unchanged() {
        try {
            return identityOf(path).equals(identity);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
