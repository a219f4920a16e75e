package io.annexgate.process;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** For tests: what a child script said about its process ids, and whether those processes still run. */
final class ChildProcesses {

    /** Reports its own pid and a grandchild's on stdout, then sleeps long, ignoring stdin. */
    static final String SLEEPER_WITH_GRANDCHILD = "sleep 1000 & echo $!; echo $$; sleep 1000";

    private ChildProcesses() {
    }

    static List<Long> pids(String stdout) {
        return stdout.lines().map(String::strip).filter(line -> !line.isEmpty()).map(Long::parseLong).toList();
    }

    static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Waits (up to a minute, as a safety net) until {@code pid} is gone. */
    static void awaitGone(long pid) throws Exception {
        var handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            handle.get().onExit().get(1, TimeUnit.MINUTES);
        }
    }
}
