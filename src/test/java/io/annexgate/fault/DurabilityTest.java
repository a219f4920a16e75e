package io.annexgate.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.Keys;
import io.annexgate.testing.RawApi;
import io.annexgate.testing.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What reaches the disk before a put is answered {@code stored:true}, seen from outside: the
 * server runs under strace, which records its fsyncs, renames and socket writes in the order the
 * kernel saw them.
 */
class DurabilityTest {

    @TempDir
    Path tmp;

    @Test
    void storedTrueIsAnsweredOnlyAfterTheObjectTheRenameAndTheLocationLogAreOnTheDisk() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        byte[] content = "durable content\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        String key = Keys.sha256e(content, ".txt");
        Path trace = tmp.resolve("strace.log");
        List<String> strace = List.of("strace", "-f", "-y", "-s", "256", "--seccomp-bpf", "-o", trace.toString(),
                "-e", "trace=fsync,fdatasync,rename,renameat,renameat2,unlink,unlinkat,write,writev,sendto,sendmsg");

        try (ServerProcess server = ServerProcess.start(served.dir(), strace, "--wideopen")) {
            RawApi.Response put = new RawApi(server.baseUrl(), served.uuid()).put("v4", key, content, content.length);
            assertThat(put.text()).contains("\"stored\":true");
            RawApi.Response lock = new RawApi(server.baseUrl(), served.uuid()).post("v4", "lockcontent",
                    "key", key, "clientuuid", RawApi.CLIENT);
            assertThat(lock.text()).contains("\"locked\":true");
            // the journal is committed to the git-annex branch a second after the last change
            Path journal = served.dir().resolve(".git/annex/journal");
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                try (var files = Files.list(journal)) {
                    return files.findAny().isEmpty();
                }
            });
        }

        List<String> lines = Files.readAllLines(trace, StandardCharsets.UTF_8);
        int stagedForced = first(lines, 0, l -> l.contains("fsync(") && l.contains("/annex/tmp/" + key + ">"));
        int renamed = first(lines, stagedForced, l -> l.contains("rename") && l.contains("/annex/tmp/" + key + "\"")
                && l.contains("/annex/objects/"));
        int objectDirForced = first(lines, renamed, l -> l.contains("fsync(") && l.contains("/annex/objects/")
                && l.endsWith("/" + key + ">) = 0"));
        int journalForced = first(lines, objectDirForced, l -> l.contains("fsync(") && l.contains("/annex/othertmp/"));
        int journalRenamed = first(lines, journalForced, l -> l.contains("rename") && l.contains("/annex/journal/"));
        int journalDirForced = first(lines, journalRenamed, l -> l.contains("fsync(") && l.endsWith("/annex/journal>) = 0"));
        int answered = first(lines, 0, l -> l.contains("stored\\\":true"));
        assertThat(answered).as("the answer is written after the journal directory is forced").isGreaterThan(journalDirForced);

        // a lock's retention time (the .rtm file git-annex reads) is on the disk before the lock is granted
        int retentionForced = first(lines, answered, l -> l.contains("fsync(") && l.contains("/annex/othertmp/")
                && l.contains(".rtm>"));
        int retentionRenamed = first(lines, retentionForced, l -> l.contains("rename") && l.contains(key + ".rtm\""));
        int retentionDirForced = first(lines, retentionRenamed, l -> l.contains("fsync(") && l.endsWith("/" + key + ">) = 0"));
        int locked = first(lines, answered, l -> l.contains("locked\\\":true"));
        assertThat(locked).as("the lock is granted after its retention is forced").isGreaterThan(retentionDirForced);

        // the commit's objects and the branch reach the disk before the journal file is deleted
        int journalDeleted = first(lines, journalDirForced, l -> l.contains(" unlink") && l.contains("/annex/journal/"));
        int refMoved = last(lines, journalDeleted, l -> l.contains("rename") && l.contains("refs/heads/git-annex\""));
        int objectForced = last(lines, refMoved, l -> l.contains("fsync(") && l.contains("/.git/objects/"));
        int refForced = first(lines, refMoved, l -> l.contains("fsync(") && l.endsWith("/refs/heads>) = 0"));
        assertThat(objectForced).isLessThan(refMoved);
        assertThat(refForced).isLessThan(journalDeleted);
        // annex/index.lck names the new commit only once the index it describes is on the disk
        int statusRenamed = first(lines, refMoved, l -> l.contains("rename") && l.contains("/annex/index.lck\""));
        int indexForced = last(lines, statusRenamed, l -> l.contains("fsync(") && l.endsWith("/annex/index>) = 0"));
        assertThat(indexForced).isGreaterThan(refMoved);
    }

    /** The last line before {@code before} that matches. */
    private static int last(List<String> lines, int before, Predicate<String> what) {
        for (int i = before - 1; i >= 0; i--) {
            if (what.test(lines.get(i).strip())) {
                return i;
            }
        }
        throw new AssertionError("not in the trace before line " + before);
    }

    private static int first(List<String> lines, int from, Predicate<String> what) {
        for (int i = from; i < lines.size(); i++) {
            if (what.test(lines.get(i).strip())) {
                return i;
            }
        }
        throw new AssertionError("not in the trace after line " + from + ":\n"
                + String.join("\n", lines.stream().filter(l -> l.contains("fsync") || l.contains("rename")
                        || l.contains("stored")).toList()));
    }
}
