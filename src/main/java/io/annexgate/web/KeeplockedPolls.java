package io.annexgate.web;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.springframework.stereotype.Component;

/**
 * The keeplocked long polls in progress. A poll waits for its client's unlock or the end of its
 * body, or for {@link #endAll}: at shutdown every poll ends at once, so that a held lock does not
 * keep the server running until its grace runs out.
 */
@Component
final class KeeplockedPolls {

    /** How a poll ended. */
    enum Ending {
        /** The client sent {@code {"unlock":true}}. */
        UNLOCKED,
        /** The body ended, broke, or said something else. */
        BODY_ENDED,
        /** The server is stopping. */
        SHUTDOWN
    }

    private final Set<CompletableFuture<Ending>> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean ending;

    /**
     * Waits until {@code awaitUnlock} (which reads the request body: true for an unlock, false
     * for anything else) answers, or until the server stops. It runs on a virtual thread of its
     * own, which may go on reading after a poll that ended by shutdown has been answered; the
     * response then closes the connection, which ends that read.
     */
    Ending await(BooleanSupplier awaitUnlock) {
        CompletableFuture<Ending> poll = new CompletableFuture<>();
        waiting.add(poll);
        try {
            if (ending) {
                return Ending.SHUTDOWN;
            }
            Thread.ofVirtual().name("keeplocked-body").start(() -> {
                boolean unlocked = false;
                try {
                    unlocked = awaitUnlock.getAsBoolean();
                } finally {
                    poll.complete(unlocked ? Ending.UNLOCKED : Ending.BODY_ENDED);
                }
            });
            return poll.join();
        } finally {
            waiting.remove(poll);
        }
    }

    /** Ends every poll now, and every poll that starts from now on; answers how many were waiting. */
    int endAll() {
        ending = true;
        int ended = 0;
        for (CompletableFuture<Ending> poll : waiting) {
            if (poll.complete(Ending.SHUTDOWN)) {
                ended++;
            }
        }
        return ended;
    }
}
