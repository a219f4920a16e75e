package io.annexgate.web;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The keeplocked long polls in progress. A poll waits for its client's unlock or the end of its
 * body, or for {@link #endAll}: at shutdown every poll ends at once, so that a held lock does not
 * keep the server running until its grace runs out.
 */
@Component
final class KeeplockedPolls {

    private final Set<CompletableFuture<UnlockRequests.Ending>> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean ending;

    /** How a poll ended, and the reading of its body, which may go on after an early answer. */
    record Poll(UnlockRequests.Ending ending, CompletableFuture<UnlockRequests.Ending> body) { }

    /**
     * Waits until {@code readBody} (which reads the request body) says how it ended, until
     * {@code lockEnded} completes (the lock stopped being this request's to keep:
     * {@link UnlockRequests.Ending.LockEnded}), or until the server stops
     * ({@link UnlockRequests.Ending.ServerStopping}). The body is read on a virtual thread of its
     * own, which may go on reading after a poll that ended early has been answered; the response
     * then closes the connection, which ends that read.
     */
    Poll await(Supplier<UnlockRequests.Ending> readBody, CompletionStage<?> lockEnded) {
        CompletableFuture<UnlockRequests.Ending> poll = new CompletableFuture<>();
        CompletableFuture<UnlockRequests.Ending> body = new CompletableFuture<>();
        waiting.add(poll);
        try {
            if (ending) {
                body.complete(new UnlockRequests.Ending.ServerStopping());
                return new Poll(new UnlockRequests.Ending.ServerStopping(), body);
            }
            Thread.ofVirtual().name("keeplocked-body").start(() -> {
                UnlockRequests.Ending read = new UnlockRequests.Ending.Ended();
                try {
                    read = readBody.get();
                } finally {
                    body.complete(read);
                    poll.complete(read);
                }
            });
            lockEnded.thenRun(() -> poll.complete(new UnlockRequests.Ending.LockEnded()));
            return new Poll(poll.join(), body);
        } finally {
            waiting.remove(poll);
        }
    }

    /** Ends every poll now, and every poll that starts from now on; answers how many were waiting. */
    int endAll() {
        ending = true;
        int ended = 0;
        for (CompletableFuture<UnlockRequests.Ending> poll : waiting) {
            if (poll.complete(new UnlockRequests.Ending.ServerStopping())) {
                ended++;
            }
        }
        return ended;
    }
}
