package io.annexgate.proxy.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A streamed request body whose chunks are produced on a virtual thread of its own, one at a time
 * as the HTTP client asks for them, so a slow or blocking source (a client's upload, a lock being
 * held) never blocks the HTTP client's threads. Sent chunked (no Content-Length).
 */
final class PumpedBody implements HttpRequest.BodyPublisher {

    /** Where the chunks come from; may block. */
    @FunctionalInterface
    interface Source {
        /** The next chunk, or null at the end. */
        ByteBuffer next() throws IOException, InterruptedException;
    }

    private static final int CHUNK = 64 * 1024;

    private final Source source;
    private final String name;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile Pump pump;

    PumpedBody(Source source, String name) {
        this.source = source;
        this.name = name;
    }

    /** The first {@code limit} bytes of {@code in} (fewer if it ends first), as they arrive. */
    static PumpedBody of(InputStream in, long limit, String name) {
        long[] left = {limit};
        return new PumpedBody(() -> {
            if (left[0] <= 0) {
                return null;
            }
            byte[] buffer = new byte[(int) Math.min(CHUNK, left[0])];
            int n = in.read(buffer);
            if (n < 0) {
                return null;
            }
            left[0] -= n;
            return ByteBuffer.wrap(buffer, 0, n);
        }, name);
    }

    static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public long contentLength() {
        return -1;
    }

    /** The source can be read once, so only the first subscriber gets it; a retry of the request fails. */
    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            subscriber.onError(new IOException("a streamed body cannot be sent twice"));
            return;
        }
        Pump started = new Pump(subscriber);
        started.thread = Thread.ofVirtual().name(name).unstarted(started);
        pump = started;
        subscriber.onSubscribe(started);
        started.thread.start();
    }

    /**
     * Ends the pump, if it runs, and waits until it no longer reads the source: once the exchange is
     * over (the remote may answer before reading all of it) the source is the caller's again. A
     * pump blocked reading the source stops when that read returns.
     */
    void stop() throws InterruptedException {
        Pump running = pump;
        if (running != null) {
            running.cancel();
            running.thread.join();
        }
    }

    private final class Pump implements Flow.Subscription, Runnable {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition demanded = lock.newCondition();
        private long demand;
        private boolean cancelled;
        private Thread thread;

        Pump(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            lock.lock();
            try {
                if (n <= 0) {
                    cancelled = true;
                    subscriber.onError(new IllegalArgumentException("non-positive request"));
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
                demanded.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void cancel() {
            lock.lock();
            try {
                cancelled = true;
                demanded.signalAll();
            } finally {
                lock.unlock();
            }
            if (thread != null && thread != Thread.currentThread()) {
                thread.interrupt();
            }
        }

        /** Waits for demand; false when cancelled. */
        private boolean awaitDemand() throws InterruptedException {
            lock.lock();
            try {
                while (demand == 0 && !cancelled) {
                    demanded.await();
                }
                if (cancelled) {
                    return false;
                }
                demand--;
                return true;
            } finally {
                lock.unlock();
            }
        }

        private boolean cancelled() {
            lock.lock();
            try {
                return cancelled;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void run() {
            try {
                while (awaitDemand()) {
                    ByteBuffer chunk = source.next();
                    if (cancelled()) {
                        return;
                    }
                    if (chunk == null) {
                        subscriber.onComplete();
                        return;
                    }
                    subscriber.onNext(chunk);
                }
            } catch (InterruptedException e) {
                if (!cancelled()) {
                    subscriber.onError(new IOException("interrupted"));
                }
            } catch (IOException | RuntimeException e) {
                if (!cancelled()) {
                    subscriber.onError(e);
                }
            }
        }
    }
}
