package io.annexgate.repository;

import io.annexgate.protocol.Key;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The bytes of one put, appended to the key's partial file in {@code annex/tmp} and hashed as they
 * arrive, so a fresh upload is read once; a resumed one is re-hashed whole before it is accepted.
 */
public final class StagedUpload {

    private static final int BUFFER_SIZE = 256 * 1024;

    private final Key key;
    private final Path staging;
    private final long serverOffset;
    private final Optional<ContentHasher> hasher;

    private StagedUpload(Key key, Path staging, long serverOffset) {
        this.key = key;
        this.staging = staging;
        this.serverOffset = serverOffset;
        this.hasher = serverOffset == 0 ? ContentHasher.forKey(key) : Optional.empty();
    }

    /** Starts an upload into {@code staging}, resuming after whatever it already holds. */
    public static StagedUpload begin(Key key, Path staging) throws IOException {
        long existing = Files.exists(staging) ? Files.size(staging) : 0;
        return new StagedUpload(key, staging, existing);
    }

    public long serverOffset() {
        return serverOffset;
    }

    public Path staging() {
        return staging;
    }

    /**
     * Reads the body (which starts at the client's {@code clientOffset} and announces
     * {@code dataLength} bytes), skips what the server already has and appends the rest.
     */
    public Reception receive(long clientOffset, long dataLength, InputStream body, ByteCounter counter) throws IOException {
        if (clientOffset > serverOffset) {
            return new Reception.Gap(clientOffset, serverOffset);
        }
        long skip = serverOffset - clientOffset;
        long toAppend = Math.max(0, dataLength - skip);
        byte[] buffer = new byte[(int) Math.min(BUFFER_SIZE, Math.max(dataLength, 1))];
        long skipped = skip(body, Math.min(skip, dataLength), buffer, counter);
        if (skipped < Math.min(skip, dataLength)) {
            return new Reception.Short(0, dataLength);
        }
        long appended = 0;
        FileChannel opened;
        try {
            Files.createDirectories(staging.getParent());
            opened = FileChannel.open(staging, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            return new Reception.NotWritten(0, e);
        }
        try (FileChannel out = opened) {
            out.position(serverOffset);
            while (appended < toAppend) {
                // fill the buffer before hashing and writing it: one digest call and one write per
                // buffer, however small the pieces the network hands over
                int want = (int) Math.min(buffer.length, toAppend - appended);
                int filled = 0;
                boolean ended = false;
                while (filled < want) {
                    int n;
                    try {
                        n = body.read(buffer, filled, want - filled);
                    } catch (IOException e) {
                        // the client went away mid-body: keep what arrived for a resume
                        n = -1;
                    }
                    if (n < 0) {
                        ended = true;
                        break;
                    }
                    filled += n;
                }
                if (filled > 0) {
                    counter.add(filled);
                    final int len = filled;
                    hasher.ifPresent(h -> h.update(buffer, 0, len));
                    ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, filled);
                    try {
                        while (chunk.hasRemaining()) {
                            out.write(chunk);
                        }
                    } catch (IOException e) {
                        // what did not fit is dropped: the file keeps whole buffers only, so a
                        // resume re-sends from where it ends
                        try {
                            out.truncate(serverOffset + appended);
                        } catch (IOException ignored) {
                            // a resume verifies the whole file anyway
                        }
                        return new Reception.NotWritten(appended, e);
                    }
                    appended += filled;
                }
                if (ended) {
                    return new Reception.Short(appended, toAppend);
                }
            }
        }
        if (body.read() >= 0) {
            return new Reception.Overlong(appended);
        }
        return new Reception.Complete(appended);
    }

    private static long skip(InputStream body, long count, byte[] buffer, ByteCounter counter) throws IOException {
        long skipped = 0;
        while (skipped < count) {
            int n = body.read(buffer, 0, (int) Math.min(buffer.length, count - skipped));
            if (n < 0) {
                break;
            }
            counter.add(n);
            skipped += n;
        }
        return skipped;
    }

    /** Checks the staged file's size and checksum against the key. */
    public boolean verify() throws IOException {
        long size = Files.size(staging);
        if (!ContentHasher.sizeMatches(key, size)) {
            return false;
        }
        if (hasher.isPresent()) {
            return hasher.get().matchesKey();
        }
        Optional<ContentHasher> fresh = ContentHasher.forKey(key);
        if (fresh.isEmpty()) {
            return true;
        }
        ContentHasher h = fresh.get();
        try (FileChannel in = FileChannel.open(staging, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
            while (in.read(buffer) >= 0) {
                buffer.flip();
                h.update(buffer);
                buffer.clear();
            }
        }
        return h.matchesKey();
    }

    /** Drops a staged file that failed verification. */
    public void discard() throws IOException {
        Files.deleteIfExists(staging);
    }

    /** Counts bytes as they arrive, for metrics. */
    @FunctionalInterface
    public interface ByteCounter {
        void add(long bytes);
    }
}
