package io.annexgate.process;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** Kills a child and everything it started (git runs git-annex, ssh may run a proxy command, a shell its jobs). */
final class ProcessTree {

    /** How long a kill waits for the killed processes to be gone. */
    static final Duration GONE_WITHIN = Duration.ofSeconds(5);

    private ProcessTree() {
    }

    /**
     * Kills {@code process}'s descendants, then {@code process}, all forcibly, and waits a little
     * for them to be gone. The descendants go first: once their parent is dead they belong to init
     * and can no longer be found. Never throws; an interrupt cuts the wait short and is kept.
     */
    static void kill(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        CompletableFuture<?>[] gone = Stream.concat(descendants.stream(), Stream.of(process.toHandle()))
                .map(ProcessHandle::onExit)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(gone).get(GONE_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // killed with SIGKILL; a process that outlives the wait is stuck in the kernel, nothing more to do
        }
    }
}
