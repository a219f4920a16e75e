package io.annexgate.proxy.special;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hand-off between a part's writer and the UploadPart reading it. */
class PartPipeTest {

    @Test
    void theReaderGetsEveryChunkThenTheEnd() throws Exception {
        PartPipe pipe = new PartPipe();
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        InputStream in = pipe.provider().newStream();
        Thread.ofVirtual().start(() -> {
            try {
                read.complete(in.readAllBytes());
            } catch (IOException e) {
                read.completeExceptionally(e);
            }
        });
        for (int i = 0; i < 20; i++) {
            pipe.put(new byte[] {(byte) i, (byte) (i + 1)}, read);
        }
        pipe.finish(read);
        assertThat(read.get()).hasSize(40).startsWith(0, 1, 1, 2).endsWith(19, 20);
        assertThatThrownBy(() -> pipe.provider().newStream()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Timeout(10)
    void anAbandonedPartFailsItsReaderAndAGoneReaderFailsTheWriter() throws Exception {
        PartPipe abandoned = new PartPipe();
        InputStream in = abandoned.provider().newStream();
        abandoned.put(new byte[] {1}, new CompletableFuture<>());
        abandoned.abandon();
        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("abandoned");

        PartPipe nobodyReads = new PartPipe();
        CompletableFuture<Object> part = new CompletableFuture<>();
        part.completeExceptionally(new IOException("403"));
        nobodyReads.readerGone();
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                nobodyReads.put(new byte[1024], part);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("ended early").hasRootCauseMessage("403");
    }
}
