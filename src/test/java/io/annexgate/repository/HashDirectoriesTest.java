package io.annexgate.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexgate.protocol.Key;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HashDirectoriesTest {

    /** Expected values printed by git annex examinekey --format='${hashdirmixed} ${hashdirlower}' (10.20250416). */
    @ParameterizedTest
    @CsvSource(delimiter = ' ', quoteCharacter = '"', value = {
        "SHA256E-s0--e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 pX/ZJ f87/4d5",
        "SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt mK/4w d91/b11",
        "SHA256E-s6-S3-C2--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt mK/4w d91/b11",
        "SHA256-s1000--41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3 2M/2m 9af/80a",
        "SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.tar.gz j9/gG 09d/b4b",
        "MD5E-s6--b1946ac92492d2347c6235b4d2611184.txt F4/53 e43/794",
        "URL--http://example.com/a%20b&c 3K/fZ d95/0d3",
        "URL-s100--https://example.org/x:y/z m1/mp c13/33f",
        "WORM-s5-m1700000000--foo%bar&baz:qux 2p/pg 932/84f",
        "WORM-s5-m1700000000-S2-C3--a-b--c G7/fj 67c/f50",
        "XFOOE-s3--abc.txt 3x/ZF cdf/8d5",
        "SHA256E-S5--x Vk/V9 ee9/e6e",
        "SHA256E-- qX/1K d89/205",
        "WORM-s5-m1700000000--héllo_wörld.txt 4f/KM 34a/9e5",
    })
    void matchesGitAnnex(String key, String mixed, String lower) {
        Key parsed = Key.parse(key);
        assertThat(HashDirectories.mixed(parsed, 2)).isEqualTo(mixed);
        assertThat(HashDirectories.lower(parsed, 2)).isEqualTo(lower);
    }

    @Test
    void aChunkKeyUsesItsParentsDirectories() {
        Key chunk = Key.parse("WORM-s5-m1700000000-S2-C3--a-b--c");
        Key parent = Key.parse("WORM-s5-m1700000000--a-b--c");
        assertThat(HashDirectories.lower(chunk, 2)).isEqualTo(HashDirectories.lower(parent, 2));
        assertThat(HashDirectories.mixed(chunk, 2)).isEqualTo(HashDirectories.mixed(parent, 2));
    }

    @Test
    void oneLevel() {
        // observed in a repo initialised with annex.tune.objecthash1/branchhash1=true:
        // object in .git/annex/objects/mK/<keyfile>/, location log at d91/<keyfile>.log
        Key key = Key.parse("SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt");
        assertThat(HashDirectories.mixed(key, 1)).isEqualTo("mK");
        assertThat(HashDirectories.lower(key, 1)).isEqualTo("d91");
    }

    @Test
    void onlyOneOrTwoLevels() {
        Key key = Key.parse("SHA256E--");
        assertThatThrownBy(() -> HashDirectories.lower(key, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HashDirectories.mixed(key, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
