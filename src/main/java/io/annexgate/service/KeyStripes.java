package io.annexgate.service;

import io.annexgate.protocol.Key;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises, within this process, the steps that change whether a key is here: a put's move into
 * place with its location-log line, and a remove's delete with its line. Without it a remove could
 * delete an object between a put's move and its log line, leaving the log saying present. A fixed
 * number of stripes bounds memory whatever the number of keys.
 */
final class KeyStripes {

    private static final int STRIPES = 256;

    /** Work done holding a key's stripe. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws IOException;
    }

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    KeyStripes() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    <T> T holding(Key key, Work<T> work) throws IOException {
        ReentrantLock lock = stripes[Math.floorMod(key.serialize().hashCode(), STRIPES)];
        lock.lock();
        try {
            return work.run();
        } finally {
            lock.unlock();
        }
    }
}
