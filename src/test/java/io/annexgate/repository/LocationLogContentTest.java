package io.annexgate.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexgate.protocol.Key;
import io.annexgate.repository.LocationLogContent.LogLine;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocationLogContentTest {

    private static final String A = "aaaaaaaa-0000-0000-0000-000000000001";
    private static final String B = "bbbbbbbb-0000-0000-0000-000000000002";
    private static final Instant NOW = Instant.ofEpochSecond(1795615338);

    @Test
    void parsesAndRendersTheObservedFormat() {
        String text = "1795615338s 1 bc356c5a-ce2d-4771-b9e8-e7959b0c1800\n"
                + "1795615349.123s 0 bc356c5a-ce2d-4771-b9e8-e7959b0c1800\n";
        LocationLogContent log = LocationLogContent.parse(text);
        assertThat(log.lines()).containsExactly(
                new LogLine("1795615338s", '1', "bc356c5a-ce2d-4771-b9e8-e7959b0c1800"),
                new LogLine("1795615349.123s", '0', "bc356c5a-ce2d-4771-b9e8-e7959b0c1800"));
        assertThat(log.render()).isEqualTo(text);
        assertThat(log.isPresent("bc356c5a-ce2d-4771-b9e8-e7959b0c1800")).isFalse();
    }

    @Test
    void skipsWhatGitAnnexCannotParseAndAcceptsAnyLineEnd() {
        String text = "garbage\n300s 1 " + B + "\r\n\r\n12x 1 " + A + "\n12s 7 " + A + "\n12s 1\n"
                + "100 0 " + A + "\r+5.5 X " + A + "\n  \n";
        assertThat(LocationLogContent.parse(text).lines()).containsExactly(
                new LogLine("300s", '1', B), new LogLine("100", '0', A), new LogLine("+5.5", 'X', A));
        assertThat(LocationLogContent.parse("").lines()).isEmpty();
    }

    @Test
    void uuidIsTheRestOfTheLine() {
        assertThat(LocationLogContent.parse("1s 1 a b c").lines()).containsExactly(new LogLine("1s", '1', "a b c"));
    }

    @Test
    void newestIsTheHighestClockAndTheFirstAmongEquals() {
        LocationLogContent log = LocationLogContent.parse(
                "100s 1 " + A + "\n300s 0 " + A + "\n200s 1 " + A + "\n9s 1 " + B + "\n9.0s 0 " + B + "\n");
        assertThat(log.newest(A)).contains(new LogLine("300s", '0', A));
        assertThat(log.isPresent(A)).isFalse();
        assertThat(log.newest(B)).contains(new LogLine("9s", '1', B));
        assertThat(log.isPresent(B)).isTrue();
        assertThat(log.newest("cccc")).isEmpty();
        assertThat(log.isPresent("cccc")).isFalse();
        assertThat(log.presentUuids()).containsExactly(B);
    }

    /**
     * Each row: existing file, change, and the file git-annex 10.20250416 wrote after
     * {@code GIT_ANNEX_VECTOR_CLOCK=<clock> git annex setpresentkey KEY UUID STATUS}
     * with that journal file in place ("-" = file left unchanged). '|' stands for LF, '^' for CR.
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "'';                                                   B; 1; 1795615338; 1795615338s 1 B|",
        "9999999999s 1 B|;                                     A; 1; 1795615338; 1795615338s 1 A|9999999999s 1 B|",
        "9999999999.5s 0 A|;                                   A; 1; 1795615338; 10000000000.5s 1 A|",
        "100s 1 B|200s 0 A|300s 1 A|150.50s 0 B|;              A; 0; 1795615338; 1795615338s 0 A|150.5s 0 B|",
        "100s 1 B|300s 1 A|;                                   A; 1; 1795615338; -",
        "100 1 B|300.250s 0 A|;                                A; 1; 1795615338; 1795615338s 1 A|100s 1 B|",
        "garbage|300s 1 B^|^|;                                 A; 1; 1795615338; 1795615338s 1 A|300s 1 B|",
        "9999999999s 0 A|9999999999s 1 A|;                     A; 1; 1795615338; 10000000000s 1 A|",
        "9999999999s 1 A|9999999999s 0 A|;                     A; 1; 1795615338; -",
        "100.000000000000001s 1 B|;                            A; 1; 1795615338; 1795615338s 1 A|100s 1 B|",
        "+100s 1 B|-5.25s 0 A|;                                A; 1; -10;        -4.25s 1 A|100s 1 B|",
        "-0.5s 0 A|;                                           A; 1; -10;        1.5s 1 A|",
        "-1.5s 0 A|;                                           A; 1; -10;        -0.5s 1 A|",
        "5s 1 Zed|5s 1 B|5s 1 A|7s 0 Zed|;                     A; 0; 1795615338; 7s 0 Zed|1795615338s 0 A|5s 1 B|",
    })
    void writesWhatGitAnnexWrites(String before, String uuid, char status, long now, String after) {
        LocationLogContent log = LocationLogContent.parse(expand(before));
        Optional<LocationLogContent> changed = log.withStatus(expand(uuid), status, Instant.ofEpochSecond(now));
        if (after.equals("-")) {
            assertThat(changed).isEmpty();
        } else {
            assertThat(changed).map(LocationLogContent::render).contains(expand(after));
            assertThat(changed.get().newest(expand(uuid)).map(LogLine::status)).contains(status);
        }
    }

    private static String expand(String s) {
        return s.replace("|", "\n").replace("^", "\r").replace("A", A).replace("B", B);
    }

    @Test
    void theWallClockIsTruncatedToWholeSeconds() {
        Optional<LocationLogContent> log = LocationLogContent.EMPTY.withStatus(A, '1',
                Instant.ofEpochSecond(1795615338, 750_000_000));
        assertThat(log).map(LocationLogContent::render).contains("1795615338s 1 " + A + "\n");
    }

    @Test
    void otherUuidsDoNotAdvanceTheClockButTheSameUuidDoes() {
        LocationLogContent log = LocationLogContent.parse("1795615338s 1 " + B + "\n1795615338s 0 " + A + "\n");
        assertThat(log.withStatus(B, '0', NOW).orElseThrow().newest(B).orElseThrow().timestamp())
                .isEqualTo("1795615339s");
        assertThat(log.withStatus("cccc", '1', NOW).orElseThrow().newest("cccc").orElseThrow().timestamp())
                .isEqualTo("1795615338s");
    }

    @Test
    void rejectsBadChanges() {
        assertThatThrownBy(() -> LocationLogContent.EMPTY.withStatus("", '1', NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocationLogContent.EMPTY.withStatus("a\nb", '1', NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocationLogContent.EMPTY.withStatus(A, '2', NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogLine("soon", '1', A)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compactedKeepsTheNewestPerUuidInGitAnnexOrder() {
        LocationLogContent log = LocationLogContent.parse(
                "3s 0 " + B + "\n1.50s 1 " + A + "\n4 1 " + B + "\n1s 0 " + A + "\n");
        assertThat(log.compacted().render()).isEqualTo("1.5s 1 " + A + "\n4s 1 " + B + "\n");
    }

    @Test
    void branchPath() {
        // observed on the git-annex branch and with git annex examinekey
        Key hello = Key.parse("SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt");
        assertThat(LocationLogContent.branchPath(hello, 2))
                .isEqualTo("d91/b11/SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt.log");
        assertThat(LocationLogContent.branchPath(hello, 1))
                .isEqualTo("d91/SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt.log");
        assertThat(LocationLogContent.branchPath(Key.parse("URL--http://ex.com/a_b:c"), 2))
                .isEqualTo("47a/dec/URL--http&c%%ex.com%a_b&cc.log");
    }

    @Test
    void journalFileNamesAsGitAnnexWritesThem() {
        // file names found in .git/annex/journal after git -c annex.alwayscommit=false annex setpresentkey
        assertThat(LocationLogContent.journalFileName(LocationLogContent.branchPath(Key.parse(
                "SHA256E-s6--e258d248fda94c63753607f7c4494ee0fcbe92f1a76bfdac795c9d84101eb317.txt"), 2)))
                .isEqualTo("694_d93_SHA256E-s6--e258d248fda94c63753607f7c4494ee0fcbe92f1a76bfdac795c9d84101eb317.txt.log");
        assertThat(LocationLogContent.journalFileName(LocationLogContent.branchPath(Key.parse(
                "SHA3_256E-s6--b314e28493eae9dab57ac4f0c6d887bddbbeb810e900d818395ace558e96516d.txt"), 2)))
                .isEqualTo("685_f27_SHA3__256E-s6--b314e28493eae9dab57ac4f0c6d887bddbbeb810e900d818395ace558e96516d.txt.log");
        assertThat(LocationLogContent.journalFileName(
                LocationLogContent.branchPath(Key.parse("URL--http://ex.com/a_b:c"), 2)))
                .isEqualTo("47a_dec_URL--http&c%%ex.com%a__b&cc.log");
        assertThat(LocationLogContent.journalFileName("a_/_b")).isEqualTo("a_____b");
    }

    @Test
    void journalFileNamesMapBackToBranchPathsAsGitAnnexReadsThem() {
        assertThat(LocationLogContent.branchPathOfJournalFile(
                "685_f27_SHA3__256E-s6--b314e28493eae9dab57ac4f0c6d887bddbbeb810e900d818395ace558e96516d.txt.log"))
                .isEqualTo("685/f27/SHA3_256E-s6--b314e28493eae9dab57ac4f0c6d887bddbbeb810e900d818395ace558e96516d.txt.log");
        assertThat(LocationLogContent.branchPathOfJournalFile("47a_dec_URL--http&c%%ex.com%a__b&cc.log"))
                .isEqualTo("47a/dec/URL--http&c%%ex.com%a_b&cc.log");
        assertThat(LocationLogContent.branchPathOfJournalFile("uuid.log")).isEqualTo("uuid.log");
        // the encoding is ambiguous next to '/', and git-annex reads it this way too
        assertThat(LocationLogContent.branchPathOfJournalFile("a_____b")).isEqualTo("a__/b");
    }

    @Property
    void renderThenParseIsIdentity(@ForAll("logs") LocationLogContent log) {
        assertThat(LocationLogContent.parse(log.render())).isEqualTo(log);
        assertThat(LocationLogContent.parse(log.render()).render()).isEqualTo(log.render());
    }

    @Property
    void aChangedUuidGetsANewLineNewerThanAllItsLines(@ForAll("logs") LocationLogContent log,
            @ForAll("uuids") String uuid, @ForAll("statuses") char status, @ForAll("instants") Instant now) {
        Optional<LocationLogContent> changed = log.withStatus(uuid, status, now);
        Optional<LogLine> before = log.newest(uuid);
        if (before.isPresent() && before.get().status() == status) {
            assertThat(changed).isEmpty();
            return;
        }
        LocationLogContent after = changed.orElseThrow();
        LogLine line = after.newest(uuid).orElseThrow();
        assertThat(line.status()).isEqualTo(status);
        for (LogLine old : log.lines()) {
            if (old.uuid().equals(uuid)) {
                assertThat(line.clock()).isGreaterThan(old.clock());
            }
        }
        assertThat(line.clock()).isGreaterThanOrEqualTo(VectorClock.wholeSecondsOf(now));
        // one line per uuid; everyone else's status unchanged
        assertThat(after.lines()).extracting(LogLine::uuid).doesNotHaveDuplicates();
        for (LogLine old : log.lines()) {
            if (!old.uuid().equals(uuid)) {
                assertThat(after.newest(old.uuid()).map(LogLine::status)).isEqualTo(log.newest(old.uuid())
                        .map(LogLine::status));
            }
        }
        // and re-reading the written text gives the same answer
        assertThat(LocationLogContent.parse(after.render()).isPresent(uuid)).isEqualTo(status == '1');
    }

    @Provide
    Arbitrary<LocationLogContent> logs() {
        Arbitrary<String> timestamps = Combinators.combine(
                Arbitraries.of("", "+", "-"),
                Arbitraries.longs().between(0, 99_999_999_999L),
                Arbitraries.of("", ".5", ".25", ".000001", ".123456789", ".10"),
                Arbitraries.of("s", "s", ""))
                .as((sign, whole, fraction, s) -> sign + whole + fraction + s);
        Arbitrary<LogLine> lines = Combinators.combine(timestamps, statuses(), uuids()).as(LogLine::new);
        return lines.list().ofMaxSize(8).map(LocationLogContent::new);
    }

    @Provide
    Arbitrary<String> uuids() {
        return Arbitraries.of(A, B, "Zed", "cccccccc-0000-0000-0000-000000000003", "é");
    }

    @Provide
    Arbitrary<Character> statuses() {
        return Arbitraries.of('1', '0', 'X');
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(-1_000_000_000L, 99_999_999_999L)
                .flatMap(s -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(s, n)));
    }
}
