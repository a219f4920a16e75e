package io.annexgate.proxy.special;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory every S3 put held in memory until its single PUT may take at once, server-wide
 * ({@code annexgate.proxy.s3-put-memory}). A put reserves its announced length when it starts;
 * one that does not fit in what is left is streamed as a multipart upload instead, which holds no
 * more than a few chunks. So however many clients put at once, and whatever they announce, the S3
 * path's buffers stay within the budget. Meters: {@code annexgate_s3_put_memory_reserved_bytes}
 * and {@code annexgate_s3_put_memory_exhausted_total}, puts streamed because the budget was spent.
 */
public final class S3PutMemory {

    /** The default budget, {@code annexgate.proxy.s3-put-memory}. */
    public static final long DEFAULT_BUDGET = 64L * 1024 * 1024;

    private final long budget;
    private final AtomicLong reserved = new AtomicLong();
    private final Counter exhausted;

    public S3PutMemory(long budget, MeterRegistry registry) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget " + budget);
        }
        this.budget = budget;
        Gauge.builder("annexgate.s3.put.memory.reserved", reserved, AtomicLong::get).baseUnit("bytes")
                .description("Memory reserved by S3 puts held until their single PUT (annexgate.proxy.s3-put-memory)")
                .register(registry);
        this.exhausted = Counter.builder("annexgate.s3.put.memory.exhausted")
                .description("S3 puts streamed as multipart uploads because annexgate.proxy.s3-put-memory was spent")
                .register(registry);
    }

    /** A budget of {@code budget} bytes counted on meters of its own (tests, tools). */
    public static S3PutMemory unmetered(long budget) {
        return new S3PutMemory(budget, new SimpleMeterRegistry());
    }

    /** Memory held for one put until closed. */
    @FunctionalInterface
    interface Reservation extends AutoCloseable {
        @Override
        void close();
    }

    /** Reserves {@code bytes}; empty (and counted) when the budget has not that much left. */
    Optional<Reservation> reserve(long bytes) {
        long now;
        do {
            now = reserved.get();
            if (bytes > budget - now) {
                exhausted.increment();
                return Optional.empty();
            }
        } while (!reserved.compareAndSet(now, now + bytes));
        AtomicBoolean held = new AtomicBoolean(true);
        return Optional.of(() -> {
            if (held.getAndSet(false)) {
                reserved.addAndGet(-bytes);
            }
        });
    }

    long reserved() {
        return reserved.get();
    }
}
