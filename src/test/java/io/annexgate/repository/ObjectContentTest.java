package io.annexgate.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sending an object: exact bytes from any offset, and a clean short transfer when the file shrinks meanwhile. */
class ObjectContentTest {

    private static final int MIB = 1024 * 1024;

    @TempDir
    Path tmp;

    private Path object(int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Path file = tmp.resolve("object-" + size);
        Files.write(file, bytes);
        return file;
    }

    /** Takes each buffer as a socket would: reads its bytes out. */
    private static ByteSink into(ByteArrayOutputStream sink) {
        return buffer -> {
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            sink.writeBytes(chunk);
        };
    }

    @Test
    void sendsTheExactBytesFromAnyOffset() throws IOException {
        Path file = object(3 * MIB + 17);
        byte[] expected = Files.readAllBytes(file);
        for (long offset : new long[] {0, 1, MIB, 3L * MIB + 16, 3L * MIB + 17}) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try (ObjectContent content = ObjectContent.open(file)) {
                long sent = content.transferTo(offset, into(got), true);
                assertThat(sent).isEqualTo(expected.length - offset);
            }
            assertThat(got.toByteArray()).isEqualTo(java.util.Arrays.copyOfRange(expected, (int) offset, expected.length));
        }
    }

    @Test
    void anObjectTruncatedWhileSentEndsTheTransferShortInsteadOfFaulting() throws IOException {
        Path file = object(32 * MIB);
        byte[] expected = Files.readAllBytes(file);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean[] truncated = {false};
        ByteSink truncatingOnFirstWrite = buffer -> {
            if (!truncated[0]) {
                truncated[0] = true;
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                    raf.setLength(MIB);
                }
            }
            into(got).write(buffer);
        };
        long sent;
        try (ObjectContent content = ObjectContent.open(file)) {
            assertThat(content.lengthFrom(0)).isEqualTo(32L * MIB);
            // a memory-mapped read of the vanished pages would be a SIGBUS (java.lang.InternalError) here
            sent = content.transferTo(0, truncatingOnFirstWrite, true);
        }
        assertThat(sent).isLessThan(32L * MIB);
        assertThat((long) got.size()).isEqualTo(sent);
        // what was sent is a true prefix of the object as it was: the client discards a short body
        assertThat(got.toByteArray()).isEqualTo(java.util.Arrays.copyOf(expected, got.size()));
    }

    @Test
    void anObjectTruncatedBeforeTheLastByteWithholdsIt() throws IOException {
        Path file = object(MIB);
        try (ObjectContent content = ObjectContent.open(file)) {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(MIB - 10);
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            long sent = content.transferTo(0, into(got), true);
            assertThat(sent).isLessThan(MIB);
            assertThat((long) got.size()).isEqualTo(sent);
        }
    }

    @Test
    void buffersAreReusedAcrossTransfersAndOnlyAFewAreKept() {
        TransferBuffers pool = new TransferBuffers(2);
        ByteBuffer first = pool.take();
        pool.give(first);
        assertThat(pool.take()).isSameAs(first);
        ByteBuffer a = pool.take();
        ByteBuffer b = pool.take();
        ByteBuffer c = pool.take();
        pool.give(a);
        pool.give(b);
        pool.give(c);
        // two kept, the one given back past that dropped: the next takes give b, then a, then a new one
        assertThat(pool.take()).isSameAs(b);
        assertThat(pool.take()).isSameAs(a);
        assertThat(pool.take()).isNotSameAs(a).isNotSameAs(b).isNotSameAs(c);
    }
}
