package io.annexgate.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While Annexgate uses othertmp, git-annex's cleanup (an exclusive fcntl lock on othertmp.lck,
 * taken here by another process as git-annex takes it) is kept out, and let in afterwards.
 */
class OtherTmpTest {

    @TempDir
    Path tmp;

    /** Whether another process can take the exclusive lock git-annex's othertmp cleanup takes. */
    private static boolean cleanupCouldRun(Path lockFile) throws IOException {
        Process p = new ProcessBuilder("python3", "-c", """
                import fcntl, sys
                f = open(sys.argv[1], 'a')
                try:
                    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    print('locked')
                except OSError:
                    print('busy')
                """, lockFile.toString()).redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new InterruptedIOException(e.getMessage());
        }
        String said = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(said).isIn("locked", "busy");
        return said.equals("locked");
    }

    @Test
    void gitAnnexCannotEmptyOthertmpWhileWeUseItAndCanAfterwards() throws Exception {
        AnnexRepository repository = AnnexRepository.open(AnnexRepo.init(tmp, "r").dir()).orElseThrow();
        Path lockFile = repository.annexDir().resolve("othertmp.lck");
        boolean[] duringOuter = new boolean[2];
        OtherTmp.using(repository, dir -> {
            Files.writeString(dir.resolve("ours"), "x");
            duringOuter[0] = cleanupCouldRun(lockFile);
            OtherTmp.using(repository, inner -> {
                duringOuter[1] = cleanupCouldRun(lockFile);
                return null;
            });
            return null;
        });
        assertThat(duringOuter).containsExactly(false, false);
        assertThat(cleanupCouldRun(lockFile)).isTrue();
    }
}
