package io.annexgate.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/** Runs one action per node on virtual threads, at most {@code jobs} at a time ({@code --clusterjobs}). */
final class FanOut {

    /** One node's action. */
    @FunctionalInterface
    interface NodeAction<N, R> {
        R on(N node) throws Exception;
    }

    /** What one node's action came to: its result, or the failure. */
    record Result<N, R>(N node, R value, Exception failure) {
        boolean ok() {
            return failure == null;
        }
    }

    private final int jobs;

    FanOut(int jobs) {
        this.jobs = Math.max(1, jobs);
    }

    <N, R> List<Result<N, R>> run(List<N> nodes, NodeAction<N, R> action) {
        if (nodes.size() == 1) {
            return List.of(once(nodes.get(0), action));
        }
        Semaphore slots = new Semaphore(jobs, true);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Result<N, R>>> running = new ArrayList<>();
            for (N node : nodes) {
                running.add(threads.submit(() -> {
                    slots.acquire();
                    try {
                        return once(node, action);
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<Result<N, R>> results = new ArrayList<>();
            for (int i = 0; i < running.size(); i++) {
                Result<N, Result<N, R>> result = outcome(nodes.get(i), running.get(i));
                results.add(result.ok() ? result.value() : new Result<>(nodes.get(i), null, result.failure()));
            }
            return results;
        }
    }

    /** What {@code node}'s action, running as {@code future}, came to once it ends. */
    static <N, R> Result<N, R> outcome(N node, Future<R> future) {
        try {
            return new Result<>(node, future.get(), null);
        } catch (ExecutionException e) {
            return new Result<>(node, null, e.getCause() instanceof Exception c ? c : new IllegalStateException(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result<>(node, null, e);
        }
    }

    private static <N, R> Result<N, R> once(N node, NodeAction<N, R> action) {
        try {
            return new Result<>(node, action.on(node), null);
        } catch (Exception e) {
            return new Result<>(node, null, e);
        }
    }
}
