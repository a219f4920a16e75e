package io.annexgate.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.InvalidValueException;
import io.annexgate.protocol.Key;
import java.nio.file.Path;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever key a client sends, the files it reaches stay inside the repository's object and
 * transfer directories: no key resolves to a path outside them, however it mixes slashes, dots,
 * escapes, NULs and other characters.
 */
class PathConfinementTest {

    private static final Path DIR = Path.of("served-repo").toAbsolutePath();
    private static final Path GIT_DIR = DIR.resolve(".git");

    private static final AnnexRepository LOWER = repository(true);
    private static final AnnexRepository MIXED = repository(false);

    private static AnnexRepository repository(boolean lower) {
        return new AnnexRepository(DIR, GIT_DIR, false,
                new AnnexUuid("f47ac10b-58cc-4372-a567-0e02b2c3d479"), 2, lower, 2, false, 0);
    }

    @Provide
    Arbitrary<String> hostileText() {
        return Arbitraries.strings()
                .withChars("/.\\%&:\u0000-_ ~$*?[]")
                .withCharRange('a', 'f')
                .withCharRange('\u00e0', '\u00ff')
                .ofMinLength(0).ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> keyLike() {
        Arbitrary<String> backend = Arbitraries.of("SHA256E", "SHA256", "MD5E", "WORM", "URL", "BLAKE2B256E", "..", ".", "/");
        Arbitrary<String> size = Arbitraries.of("", "-s0", "-s12", "-s/..", "-s-1");
        Arbitrary<String> mtime = Arbitraries.of("", "-m1700000000", "-m..");
        return Combinators.combine(backend, size, mtime, hostileText())
                .as((b, s, m, name) -> b + s + m + "--" + name);
    }

    @Property(tries = 2000)
    void noKeyResolvesOutsideTheObjectsOrTransferDirectories(@ForAll("keyLike") String text) {
        checkConfined(text);
    }

    @Property(tries = 2000)
    void noArbitraryTextResolvesOutsideThem(@ForAll("hostileText") String text) {
        checkConfined(text);
    }

    private static void checkConfined(String text) {
        Optional<Key> parsed = parse(text);
        if (parsed.isEmpty()) {
            return;
        }
        Key key = parsed.get();
        for (AnnexRepository repository : new AnnexRepository[] {LOWER, MIXED}) {
            AnnexObjectStore store = new AnnexObjectStore(repository);
            Path objects = repository.objectsDir().normalize();
            for (Path candidate : store.candidates(key)) {
                Path normal = candidate.normalize();
                assertThat(normal).isEqualTo(candidate);
                assertThat(normal.startsWith(objects)).as(candidate.toString()).isTrue();
                // hash directories, the key's directory, the key's file: nothing more, nothing less
                assertThat(objects.relativize(normal).getNameCount()).isEqualTo(repository.objectHashLevels() + 2);
            }
            Path staging = store.stagingFile(key);
            assertThat(staging.normalize()).isEqualTo(staging);
            assertThat(staging.getParent()).isEqualTo(repository.tmpDir());
            String journalName = LocationLogContent.journalFileName(
                    LocationLogContent.branchPath(key, repository.branchHashLevels()));
            assertThat(journalName).doesNotContain("/").doesNotContain("\u0000").isNotIn(".", "..", "");
            assertThat(key.fileName()).doesNotContain("/").doesNotContain("\u0000").isNotIn(".", "..", "");
        }
    }

    private static Optional<Key> parse(String text) {
        try {
            return Optional.of(Key.parse(text));
        } catch (InvalidValueException e) {
            return Optional.empty();
        }
    }
}
