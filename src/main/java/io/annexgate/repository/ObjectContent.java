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
 * announced and discards what it got: the protocol's way of saying "invalid".
 */
public final class ObjectContent implements AutoCloseable {

    private static final long MAP_THRESHOLD = 256 * 1024;
    private static final long MAP_CHUNK = 8 * 1024 * 1024;

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
        long remaining = lengthFrom(offset);
        if (remaining == 0) {
            return 0;
        }
        long withheld = signalInvalidity ? 1 : 0;
        long sent = copy(offset, remaining - withheld, out);
        if (withheld == 1) {
            if (!unchanged()) {
                return sent;
            }
            sent += copy(offset + sent, 1, out);
        }
        return sent;
    }

    /** Small ranges go through one heap buffer; large ones as memory-mapped slices of the file. */
    private long copy(long position, long count, ByteSink out) throws IOException {
        if (count >= MAP_THRESHOLD) {
            long copied = 0;
            while (copied < count) {
                long n = Math.min(MAP_CHUNK, count - copied);
                if (position + copied + n > channel.size()) {
                    throw new IOException("object shrank while being sent: " + path.getFileName());
                }
                out.write(channel.map(FileChannel.MapMode.READ_ONLY, position + copied, n));
                copied += n;
            }
            return copied;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(count, 1));
        long copied = 0;
        while (copied < count) {
            int n = channel.read(buffer, position + copied);
            if (n < 0) {
                throw new IOException("object shrank while being sent: " + path.getFileName());
            }
            copied += n;
        }
        buffer.flip();
        out.write(buffer);
        return copied;
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
