package io.annexgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyTest {

    private static final String HELLO =
            "SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt";

    @Test
    void parsesAHashKey() {
        Key key = Key.parse(HELLO);
        assertThat(key.backend()).isEqualTo("SHA256E");
        assertThat(key.size()).hasValue(6);
        assertThat(key.mtime()).isEmpty();
        assertThat(key.chunkSize()).isEmpty();
        assertThat(key.chunkNumber()).isEmpty();
        assertThat(key.name()).isEqualTo("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt");
        assertThat(key.serialize()).isEqualTo(HELLO);
        assertThat(key).hasToString(HELLO);
        assertThat(key.isChunk()).isFalse();
        assertThat(key.hasExtensionBackend()).isTrue();
        assertThat(key).isEqualTo(Key.of("SHA256E", 6,
                "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt"));
    }

    @Test
    void parsesAllFieldsInOrder() {
        Key key = Key.parse("WORM-s5-m1700000000-S2-C3--a-b--c");
        assertThat(key.backend()).isEqualTo("WORM");
        assertThat(key.size()).hasValue(5);
        assertThat(key.mtime()).hasValue(1700000000);
        assertThat(key.chunkSize()).hasValue(2);
        assertThat(key.chunkNumber()).hasValue(3);
        assertThat(key.name()).isEqualTo("a-b--c");
        assertThat(key.isChunk()).isTrue();
        assertThat(key.hasExtensionBackend()).isFalse();
    }

    @Test
    void fieldsAreAllOptional() {
        Key key = Key.parse("URL--http://example.com/a");
        assertThat(key.size()).isEmpty();
        assertThat(key.name()).isEqualTo("http://example.com/a");
        // git-annex accepts an empty name too (examinekey SHA256E-- works)
        assertThat(Key.parse("SHA256E--").name()).isEmpty();
    }

    @Test
    void nameStartsAfterTheFirstDoubleDash() {
        Key key = Key.parse("SHA256E--s6--x");
        assertThat(key.size()).isEmpty();
        assertThat(key.name()).isEqualTo("s6--x");
    }

    @Test
    void chunkSizeAndNumberAreParsedIndependentlyLikeGitAnnex() {
        // git annex examinekey SHA256E-S5--x accepts it; it is not a chunk key though
        Key key = Key.parse("SHA256E-S5--x");
        assertThat(key.chunkSize()).hasValue(5);
        assertThat(key.chunkNumber()).isEmpty();
        assertThat(key.isChunk()).isFalse();
        assertThat(key.serialize()).isEqualTo("SHA256E-S5--x");
    }

    @Test
    void withoutChunkDropsChunkFields() {
        Key chunk = Key.parse("SHA256E-s6-S3-C2--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt");
        assertThat(chunk.isChunk()).isTrue();
        assertThat(chunk.withoutChunk()).isEqualTo(Key.parse(HELLO));
        Key plain = Key.parse(HELLO);
        assertThat(plain.withoutChunk()).isSameAs(plain);
        assertThat(Key.parse("WORM-s5-m17-S2-C3--n").withoutChunk().serialize()).isEqualTo("WORM-s5-m17--n");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "SHA256E",                       // no "--"
        "SHA256E-s6-x",                  // no "--"
        "--name",                        // empty backend
        "-s1--x",                        // empty backend
        "SHA256E-s-1--x",                // negative (git-annex: bad key)
        "SHA256E-s+1--x",                // sign (git-annex: bad key)
        "SHA256E-m1-s1--x",              // fields out of order (git-annex: bad key)
        "SHA256E-s1-x--y",               // unknown field (git-annex: bad key)
        "SHA256E-s6x--y",                // junk after number
        "SHA256E-s6-s7--y",              // repeated field
        "SHA256E-C1-S2--y",              // chunk fields out of order
        "SHA256E-s06--x",                // leading zero: git-annex normalises, we reject
        "SHA256E-s99999999999999999999999--x", // does not fit in a long
        "SHA256E-s6--a\u0000b",
        "SHA256E-s6--a\nb",
        "SHA256E-s6--a\tb",
        "SHA256E-s6--a\u007fb",
        "SHA256E-s6\r--x",
    })
    void rejectsMalformedKeys(String text) {
        assertThatThrownBy(() -> Key.parse(text))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("key parse error");
    }

    @Test
    void acceptsZeroWithoutLeadingZeros() {
        assertThat(Key.parse("SHA256E-s0--x").size()).hasValue(0);
        assertThat(Key.parse("SHA256E-s9223372036854775807--x").size()).hasValue(Long.MAX_VALUE);
    }

    @Test
    void limitsTheExtensionOfExtensionBackendsLikeGitAnnex() {
        // git annex examinekey: ".aaa...a" of 64 bytes is fine, 65 bytes is "bad key";
        // non-E backends and GITBUNDLE have no such limit.
        String ext63 = "." + "a".repeat(63);
        String ext64 = "." + "a".repeat(64);
        assertThat(Key.parse("SHA256E--h" + ext63).name()).isEqualTo("h" + ext63);
        for (String backend : new String[] {"SHA256E", "FOOE", "XFOOE", "XE"}) {
            assertThatThrownBy(() -> Key.parse(backend + "--h" + ext64))
                    .as(backend)
                    .isInstanceOf(InvalidValueException.class);
        }
        for (String backend : new String[] {"SHA256", "FOO", "GITBUNDLE", "URL"}) {
            assertThat(Key.parse(backend + "--h" + ext64).name()).as(backend).isEqualTo("h" + ext64);
        }
    }

    @Test
    void limitsLengths() {
        String longest = "WORM--" + "n".repeat(249);
        assertThat(Key.parse(longest).fileName()).hasSize(255);
        assertThatThrownBy(() -> Key.parse(longest + "n")).isInstanceOf(InvalidValueException.class);
        // escaping counts: 125 ':' become 250 bytes, 256 with "WORM--"
        assertThatThrownBy(() -> Key.parse("WORM--" + ":".repeat(125)))
                .isInstanceOf(InvalidValueException.class);
        // multi-byte characters count as bytes
        assertThatThrownBy(() -> Key.parse("WORM--" + "é".repeat(125)))
                .isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> Key.parse("WORM--" + "n".repeat(2000)))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void fileNameEscapesLikeGitAnnex() {
        // object paths printed by git annex examinekey --format='${objectpath}'
        assertThat(Key.parse("URL--http://example.com/a%20b&c").fileName())
                .isEqualTo("URL--http&c%%example.com%a&s20b&ac");
        assertThat(Key.parse("URL-s100--https://example.org/x:y/z").fileName())
                .isEqualTo("URL-s100--https&c%%example.org%x&cy%z");
        assertThat(Key.parse("WORM-s5-m1700000000--foo%bar&baz:qux").fileName())
                .isEqualTo("WORM-s5-m1700000000--foo&sbar&abaz&cqux");
        assertThat(Key.parse(HELLO).fileName()).isEqualTo(HELLO);
    }

    @Test
    void slashAndDotsAreHarmlessInFileNames() {
        assertThat(Key.parse("SHA256E--a/../b").fileName()).isEqualTo("SHA256E--a%..%b");
        assertThat(Key.parse("URL--..").fileName()).isEqualTo("URL--..");
    }

    @Test
    void constructorValidatesLikeParse() {
        assertThatThrownBy(() -> new Key("SHA-256", OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.empty(), "x")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> Key.of("", 1, "x")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> Key.of("WORM", -1, "x")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> Key.of("WORM", 1, "a\nb")).isInstanceOf(InvalidValueException.class);
    }

    @Property
    void serializeThenParseIsIdentity(@ForAll("keys") Key key) {
        assertThat(Key.parse(key.serialize())).isEqualTo(key);
        assertThat(Key.parse(key.serialize()).serialize()).isEqualTo(key.serialize());
    }

    @Property
    void fileNameHasNoSlash(@ForAll("keys") Key key) {
        assertThat(key.fileName()).doesNotContain("/");
        assertThat(key.fileName().length()).isGreaterThanOrEqualTo(key.serialize().length());
    }

    @Provide
    Arbitrary<Key> keys() {
        Arbitrary<String> backends = Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
                .ofMinLength(1).ofMaxLength(12);
        Arbitrary<OptionalLong> numbers = Arbitraries.longs().between(0, Long.MAX_VALUE)
                .map(OptionalLong::of).injectNull(0.4).map(n -> n == null ? OptionalLong.empty() : n);
        Arbitrary<String> names = Arbitraries.strings()
                .withChars("abcdefghijklmnopqrstuvwxyz0123456789-._:/&% ")
                .withCharRange('\u00e0', '\u00ff')
                .ofMaxLength(30);
        return Combinators.combine(backends, numbers, numbers, numbers, numbers, names)
                .as(Key::new);
    }
}
