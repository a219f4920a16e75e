package io.annexgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BodyBroadcastTest {

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** Reads receiver {@code i} to its end, or only {@code stopAfter} bytes and then abandons it. */
    private static Future<byte[]> read(ExecutorService threads, BodyBroadcast broadcast, int i, int stopAfter) {
        return threads.submit(() -> {
            try {
                InputStream in = broadcast.receiver(i);
                return stopAfter < 0 ? in.readAllBytes() : in.readNBytes(stopAfter);
            } finally {
                broadcast.abandon(i);
            }
        });
    }

    @Test
    void everyReceiverGetsTheWholeBodyThroughBoundedQueues() throws Exception {
        // many more chunks than the queues hold, so the relay must wait for the readers
        byte[] body = bytes(BodyBroadcast.CHUNK * BodyBroadcast.QUEUED_CHUNKS * 5 + 123);
        BodyBroadcast broadcast = new BodyBroadcast(3);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<byte[]>> readers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                readers.add(read(threads, broadcast, i, -1));
            }
            assertThat(broadcast.relay(new ByteArrayInputStream(body), body.length)).isEqualTo(body.length);
            for (Future<byte[]> r : readers) {
                assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo(body);
            }
        }
    }

    @Test
    void aReceiverThatStopsIsLeftOutAndTheOthersCarryOn() throws Exception {
        byte[] body = bytes(BodyBroadcast.CHUNK * BodyBroadcast.QUEUED_CHUNKS * 4);
        BodyBroadcast broadcast = new BodyBroadcast(2);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> quitter = read(threads, broadcast, 0, 1000);
            Future<byte[]> stayer = read(threads, broadcast, 1, -1);
            assertThat(broadcast.relay(new ByteArrayInputStream(body), body.length)).isEqualTo(body.length);
            assertThat(quitter.get(30, TimeUnit.SECONDS)).isEqualTo(Arrays.copyOf(body, 1000));
            assertThat(stayer.get(30, TimeUnit.SECONDS)).isEqualTo(body);
        }
    }

    @Test
    void aShortBodyEndsEveryStreamWhereItEndedAndALongOneIsCutAtItsLength() throws Exception {
        byte[] body = bytes(200_000);
        BodyBroadcast shortOne = new BodyBroadcast(2);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> a = read(threads, shortOne, 0, -1);
            Future<byte[]> b = read(threads, shortOne, 1, -1);
            assertThat(shortOne.relay(new ByteArrayInputStream(body), 300_000)).isEqualTo(200_000);
            assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(body);
            assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo(body);
        }
        BodyBroadcast longOne = new BodyBroadcast(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> a = read(threads, longOne, 0, -1);
            ByteArrayInputStream source = new ByteArrayInputStream(body);
            assertThat(longOne.relay(source, 70_000)).isEqualTo(70_000);
            assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(Arrays.copyOf(body, 70_000));
            assertThat(source.available()).isEqualTo(130_000);
        }
    }

    @Test
    void whenEveryReceiverStoppedTheRestOfTheBodyIsNotRead() throws Exception {
        byte[] body = bytes(BodyBroadcast.CHUNK * 100);
        BodyBroadcast broadcast = new BodyBroadcast(2);
        broadcast.abandon(0);
        broadcast.abandon(1);
        ByteArrayInputStream source = new ByteArrayInputStream(body);
        assertThat(broadcast.relay(source, body.length)).isZero();
        assertThat(source.available()).isEqualTo(body.length);
    }
}
