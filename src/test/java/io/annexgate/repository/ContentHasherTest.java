package io.annexgate.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexgate.protocol.Key;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContentHasherTest {

    private static final List<String> BACKENDS = List.of("SHA256", "SHA512", "SHA224", "SHA384", "SHA1", "MD5",
            "SHA3_224", "SHA3_256", "SHA3_384", "SHA3_512", "SKEIN256", "SKEIN512", "BLAKE2B160", "BLAKE2B224",
            "BLAKE2B256", "BLAKE2B384", "BLAKE2B512", "BLAKE2BP512", "BLAKE2S160", "BLAKE2S224", "BLAKE2S256",
            "BLAKE2SP224", "BLAKE2SP256");

    /** Output of git annex calckey --backend=NAME (10.20250416): hello.txt ("hello\\n"), an empty file, 1000 x "a". */
    private static final String[] GIT_ANNEX_KEYS = {
        "SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt",
        "SHA256E-s0--e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "SHA256-s1000--41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3",
        "SHA512E-s6--e7c22b994c59d9cf2b48e549b1e24666636045930d3da7c1acb299d1c3b7f931f94aae41edda2c2b207a36e10f8bcb8d45223e54878f5b316e7ce3b6bc019629.txt",
        "SHA512E-s0--cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
        "SHA512-s1000--67ba5535a46e3f86dbfbed8cbbaf0125c76ed549ff8b0b9e03e0c88cf90fa634fa7b12b47d77b694de488ace8d9a65967dc96df599727d3292a8d9d447709c97",
        "SHA224E-s6--2d6d67d91d0badcdd06cbbba1fe11538a68a37ec9c2e26457ceff12b.txt",
        "SHA224E-s0--d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f",
        "SHA224-s1000--4e8f0ce90b64661a2b5e84be6d93a7d9b76871062f1814433d04a03d",
        "SHA384E-s6--1d0f284efe3edea4b9ca3bd514fa134b17eae361ccc7a1eefeff801b9bd6604e01f21f6bf249ef030599f0c218f2ba8c.txt",
        "SHA384E-s0--38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b",
        "SHA384-s1000--f54480689c6b0b11d0303285d9a81b21a93bca6ba5a1b4472765dca4da45ee328082d469c650cd3b61b16d3266ab8ced",
        "SHA1E-s6--f572d396fae9206628714fb2ce00f72e94f2258f.txt",
        "SHA1E-s0--da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "SHA1-s1000--291e9a6c66994949b57ba5e650361e98fc36b1ba",
        "MD5E-s6--b1946ac92492d2347c6235b4d2611184.txt",
        "MD5E-s0--d41d8cd98f00b204e9800998ecf8427e",
        "MD5-s1000--cabe45dcc9ae5b66ba86600cca6b8ba8",
        "SHA3_224E-s6--5093b1ea1fed43f347b4bf8f8e61334e751516506e390b0fa67758d3.txt",
        "SHA3_224E-s0--6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7",
        "SHA3_224-s1000--2461344b84416db8fe01c2a4966fea019590c231dd5724c1bfc26745",
        "SHA3_256E-s6--b314e28493eae9dab57ac4f0c6d887bddbbeb810e900d818395ace558e96516d.txt",
        "SHA3_256E-s0--a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
        "SHA3_256-s1000--8f3934e6f7a15698fe0f396b95d8c4440929a8fa6eae140171c068b4549fbf81",
        "SHA3_384E-s6--459b2844fea6e3a937a8397c0d69c06d9c6c943e155da454c638f5424296e994fd0339ea234367ff014493b51adb9d2e.txt",
        "SHA3_384E-s0--0c63a75b845e4f7d01107d852e4c2485c51a50aaaa94fc61995e71bbee983a2ac3713831264adb47fb6bd1e058d5f004",
        "SHA3_384-s1000--ccf4495ff20b4b33a1cc1917f9f0fe0fcb5e3d08e542cf4d4a90dd950b748e7e1cc07d2f3b36d62dd240724417cdd81b",
        "SHA3_512E-s6--ac766ba623301e0ad63c48cb2fc469d10145f65c9f1f28fe761c78c386ed295a1fda1b05e280354e620757d8a83e05a45f66438dd734278668c1c27ac6f27150.txt",
        "SHA3_512E-s0--a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a615b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26",
        "SHA3_512-s1000--ac7e95cc95aa7f24aaa95e040ca0c79b39cd9cc84a10abb84ddd8dd5e4b45cf96543aaa70d0ef99fbf8d2769639981ee1fd0b0276f4756b9d504d0b7de19b700",
        "SKEIN256E-s6--960005f5dfd54a29fd8c2ed5514664d3d746c32a97db1b01505b32eae6bfe4ad.txt",
        "SKEIN256E-s0--c8877087da56e072870daa843f176e9453115929094c3a40c463a196c29bf7ba",
        "SKEIN256-s1000--4e9e74e8ef27c00265d9e7f82d6800223f2ec076097158d2e4cbcdb7244f3799",
        "SKEIN512E-s6--dac23175722c0c6169f2a39f0ae40375f91f722b1f4ffceacb0a8dbfd3a2fd0dd8ef67fe2382de937abda0665153cd945e3eddddec9c4a260d1a8f619f9d68d4.txt",
        "SKEIN512E-s0--bc5b4c50925519c290cc634277ae3d6257212395cba733bbad37a4af0fa06af41fca7903d06564fea7a2d3730dbdb80c1f85562dfcc070334ea4d1d9e72cba7a",
        "SKEIN512-s1000--4869a0b4836d2fc17bfe15cede65755b826547c6cb8978dea690be9048454dae05f67c53504a3fb1f5d1160dbe14022902ffd86d66692699870b37e220a991e2",
        "BLAKE2B160E-s6--d2f799bb9610968a2efa8f7682d5f2f1d45163d7.txt",
        "BLAKE2B160E-s0--3345524abf6bbe1809449224b5972c41790b6cf2",
        "BLAKE2B160-s1000--0c8c64f74ac7d623cfbfc452aefb31d8b8dadad9",
        "BLAKE2B224E-s6--eb59a9e4016b10f439ce44f50564c2d230056bcf01d538b1d2bf6a67.txt",
        "BLAKE2B224E-s0--836cc68931c2e4e3e838602eca1902591d216837bafddfe6f0c8cb07",
        "BLAKE2B224-s1000--c145e8be163c70538fa23ad8f73aed376b7f505f7abe7bdbd16227fa",
        "BLAKE2B256E-s6--93becc6e9882211c3ec3708c95bcd69baab7bb59c7f4bc84ce637b88a534b783.txt",
        "BLAKE2B256E-s0--0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8",
        "BLAKE2B256-s1000--e00b0ddbf1e2cdaf5c898e1a5e8826ea3a2c339bcf2a478da2e5fca9ff126672",
        "BLAKE2B384E-s6--0c216920d0d97a09fd90d6640d7de13a950bb6bf7655ab49a58ce2db58aa53f50a7a9810f7c7b7a968a70e1ec2f9e64d.txt",
        "BLAKE2B384E-s0--b32811423377f52d7862286ee1a72ee540524380fda1724a6f25d7978c6fd3244a6caf0498812673c5e05ef583825100",
        "BLAKE2B384-s1000--60a160160a960409a363fd134b23e029b7ba77b1c3b2c4bb13682074a52af31cdbcf2ba8c953026ea31174a542eb4370",
        "BLAKE2B512E-s6--f60ce482e5cc1229f39d71313171a8d9f4ca3a87d066bf4b205effb528192a75f14f3271e2c1a90e1de53f275b4d4793eef2f5e31ea90d2ce29d2e481c36435f.txt",
        "BLAKE2B512E-s0--786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce",
        "BLAKE2B512-s1000--d6a69459fe93fc6b9537ed4336e5099e0dcca3e97290a412500ed7a0daffb03d80cf3650a20e0591f748e10c3c534945ee83d5f2c9722f1a68d98b8c01af23fd",
        "BLAKE2BP512E-s6--6598ca8cb0c6d2c50be1ae3ce1ec831383fd87ae81d37428d934e73e0cddebaefa2db2fb255d73236543c966f6fd7fc4e0c0ee8158fd7dfd21339fd8a3d88403.txt",
        "BLAKE2BP512E-s0--b5ef811a8038f70b628fa8b294daae7492b1ebe343a80eaabbf1f6ae664dd67b9d90b0120791eab81dc96985f28849f6a305186a85501b405114bfa678df9380",
        "BLAKE2BP512-s1000--af63b7ac31ef5b9b9d9e19d4f34b160729af21d51e98552fb90411becc67fa2f0d90b0d56b057d9994e222aa2c7ea4ce052fab9a573bb13769dfb9881eb60da5",
        "BLAKE2S160E-s6--89d3241bbf3550d9c7d948399d88c392077330c8.txt",
        "BLAKE2S160E-s0--354c9c33f735962418bdacb9479873429c34916f",
        "BLAKE2S160-s1000--a64df1aeae313d76329b2238ea8f35327ba94f32",
        "BLAKE2S224E-s6--3fa4204d2660a68ee9d5e82e47084bae4f7b23f0513a32ce71d45912.txt",
        "BLAKE2S224E-s0--1fa1291e65248b37b3433475b2a0dd63d54a11ecc4e3e034e7bc1ef4",
        "BLAKE2S224-s1000--3e258a09784feddcdd23f20e93d3b6166316dc34f4b721873512a4a8",
        "BLAKE2S256E-s6--3969b3926654065966b6f8d9a65789b0f76d56e1e2ab67dd94faa770959187ca.txt",
        "BLAKE2S256E-s0--69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9",
        "BLAKE2S256-s1000--a4691c2bf852334ece63c024234338fc6c150bdf04fa3f6e0e4c5209b326438d",
        "BLAKE2SP224E-s6--3c6aeeb131fc1ca87f2a0a7db322182e5abcc4622de43e9c8c66ec07.txt",
        "BLAKE2SP224E-s0--c26167059e1d0f5c4d38e0baf1763410a974e427fe0dc3d61b7bdb71",
        "BLAKE2SP224-s1000--ff8eadd7de3079f49360b3432da9a710ec0633f83205588a54ac3e09",
        "BLAKE2SP256E-s6--68505689ed9e9910f32668d51bfc0ec82641936350099accdcda9ab464be1870.txt",
        "BLAKE2SP256E-s0--dd0e891776933f43c7d032b08a917e25741f8aa9a12c12e1cac8801500f2ca4f",
        "BLAKE2SP256-s1000--7a94f7f080a71fc0590feb107c0093acbae18722569c56a966871961897c715e",
    };

    /** Output of git annex calckey --backend=NAME for {@link #bigContent()}. */
    private static final String[] GIT_ANNEX_BIG_KEYS = {
        "BLAKE2SP224-s70001--91516bf05937e4c5d76f86ea92eec433a575a34970de37d37f059a89",
        "BLAKE2SP256-s70001--7e0a8740ba89c413db9ad22bc9dc0bfcbe715647820b968f383ab52ee9859f14",
        "BLAKE2BP512-s70001--e3c05e535447eab130de1d0396b768e34cf9018a9036052d77669b21fdf48498ea68cc1488d7b784b1082af4d8e69f3ac0470dc29aa41c1726f9ce6b8e89f9ac",
        "BLAKE2S160-s70001--937a0de15c822d2f1227c29fdacc0c8966ed2281",
        "SKEIN512-s70001--1d989b7077cd5a2e713249b4332f838bf7ca7aa856c91eb2e3bff4924cc1270dec296487caca21a6d508598d70e274bbda3d334ad7d0a8ef9e3c44141fbf5c2b",
        "SHA256-s70001--e2a7470ef08915b7cf25532f16e50e4053375ea55167417d491304df52c1f5fc",
    };

    static Stream<String> gitAnnexKeys() {
        return Arrays.stream(GIT_ANNEX_KEYS);
    }

    static Stream<String> gitAnnexBigKeys() {
        return Arrays.stream(GIT_ANNEX_BIG_KEYS);
    }

    /** The content each test key was computed from, told apart by its size. */
    private static byte[] contentOf(Key key) {
        long size = key.size().orElseThrow();
        if (size == 6) {
            return "hello\n".getBytes(StandardCharsets.UTF_8);
        }
        if (size == 1000) {
            byte[] a = new byte[1000];
            Arrays.fill(a, (byte) 'a');
            return a;
        }
        if (size == 70001) {
            return bigContent();
        }
        return new byte[(int) size];
    }

    /** 70001 bytes, byte i = (7i + i/256) mod 256. */
    static byte[] bigContent() {
        byte[] b = new byte[70001];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 7 + (i >> 8));
        }
        return b;
    }

    @Test
    void everyBackendIsCoveredWithAndWithoutE() {
        Set<String> seen = new HashSet<>();
        for (String text : GIT_ANNEX_KEYS) {
            seen.add(Key.parse(text).backend());
        }
        for (String backend : BACKENDS) {
            assertThat(seen).contains(backend, backend + "E");
        }
    }

    @ParameterizedTest
    @MethodSource({"gitAnnexKeys", "gitAnnexBigKeys"})
    void knownAnswerFromGitAnnex(String text) {
        Key key = Key.parse(text);
        byte[] content = contentOf(key);
        ContentHasher hasher = ContentHasher.forKey(key).orElseThrow();
        hasher.update(content, 0, content.length);
        assertThat(hasher.matchesKey()).isTrue();
        assertThat(hasher.hexDigest()).isEqualTo(ContentHasher.hashPart(key.name()));
        assertThat(ContentHasher.sizeMatches(key, content.length)).isTrue();
    }

    @ParameterizedTest
    @MethodSource({"gitAnnexKeys", "gitAnnexBigKeys"})
    void streamingInPiecesGivesTheSameAnswer(String text) {
        Key key = Key.parse(text);
        byte[] content = contentOf(key);
        ContentHasher arrays = ContentHasher.forKey(key).orElseThrow();
        ContentHasher heap = ContentHasher.forKey(key).orElseThrow();
        ContentHasher direct = ContentHasher.forKey(key).orElseThrow();
        int[] pieces = {1, 63, 64, 65, 511, 512, 513, 7000};
        int offset = 0;
        for (int i = 0; offset < content.length; i++) {
            int n = Math.min(pieces[i % pieces.length], content.length - offset);
            arrays.update(content, offset, n);
            heap.update(ByteBuffer.wrap(content, offset, n).slice());
            ByteBuffer buffer = ByteBuffer.allocateDirect(n).put(content, offset, n).flip();
            direct.update(buffer);
            assertThat(buffer.hasRemaining()).isFalse();
            offset += n;
        }
        assertThat(arrays.matchesKey()).isTrue();
        assertThat(heap.matchesKey()).isTrue();
        assertThat(direct.matchesKey()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("gitAnnexKeys")
    void otherContentDoesNotMatch(String text) {
        Key key = Key.parse(text);
        byte[] content = Arrays.copyOf(contentOf(key), Math.max(1, contentOf(key).length));
        content[0] ^= 1;
        ContentHasher hasher = ContentHasher.forKey(key).orElseThrow();
        hasher.update(content, 0, content.length);
        assertThat(hasher.matchesKey()).isFalse();
        assertThat(hasher.hexDigest()).isNotEqualTo(ContentHasher.hashPart(key.name()));
    }

    @Test
    void heapBufferPositionIsHonoured() {
        byte[] padded = "XXhello\nYY".getBytes(StandardCharsets.UTF_8);
        for (String backend : new String[] {"SHA256E", "BLAKE2B160E"}) {
            Key key = Arrays.stream(GIT_ANNEX_KEYS).map(Key::parse)
                    .filter(k -> k.backend().equals(backend) && k.size().getAsLong() == 6).findFirst().orElseThrow();
            ContentHasher hasher = ContentHasher.forKey(key).orElseThrow();
            ByteBuffer buffer = ByteBuffer.wrap(padded, 2, 6);
            hasher.update(buffer);
            assertThat(buffer.position()).isEqualTo(8);
            assertThat(hasher.matchesKey()).as(backend).isTrue();
        }
    }

    @Test
    void comparisonIsExactLikeGitAnnex() {
        // git-annex compares the lower-case hex digest with the key's hash as written,
        // so a key carrying upper-case hex never verifies.
        Key upper = Key.parse("SHA256E-s6--5891B5B522D5DF086D0FF0B110FBD9D21BB4FC7163AF34D08286A2E846F6BE03.txt");
        ContentHasher hasher = ContentHasher.forKey(upper).orElseThrow();
        hasher.update("hello\n".getBytes(StandardCharsets.UTF_8), 0, 6);
        assertThat(hasher.matchesKey()).isFalse();
        assertThat(hasher.hexDigest()).isEqualTo("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
    }

    @Test
    void hashIsTheNameBeforeTheFirstDotEvenWithoutE() {
        // Backend/Hash.hs keyHash splits at the first '.' for every hash backend
        // (non-E keys with an extension came from an old migration bug)
        for (String text : new String[] {
            "SHA256-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt",
            "SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.tar.gz",
            // the old backslash bug: still accepted by git-annex
            "SHA256E-s6--\\5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt",
        }) {
            ContentHasher hasher = ContentHasher.forKey(Key.parse(text)).orElseThrow();
            hasher.update("hello\n".getBytes(StandardCharsets.UTF_8), 0, 6);
            assertThat(hasher.matchesKey()).as(text).isTrue();
        }
    }

    @Test
    void gitBundleKeysHashWithSha256AfterTheUuid() {
        Key key = Key.parse("GITBUNDLE-s6--bc356c5a-ce2d-4771-b9e8-e7959b0c1800-"
                + "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
        ContentHasher hasher = ContentHasher.forKey(key).orElseThrow();
        assertThat(hasher.expectedHash()).isEqualTo("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
        hasher.update("hello\n".getBytes(StandardCharsets.UTF_8), 0, 6);
        assertThat(hasher.matchesKey()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "WORM-s6-m1700000000--hello.txt", "URL--http://example.com/x", "URL-s6--http://example.com/x",
        "VURL-s6--http://example.com/x", "GITMANIFEST--bc356c5a-ce2d-4771-b9e8-e7959b0c1800",
        "XFOO-s6--abc", "XFOOE-s6--abc.txt", "SHA255-s6--abc", "SHA256EE-s6--abc", "SHA-s6--abc", "E-s6--abc",
        "BLAKE2SP512-s6--abc", "BLAKE2BP256E-s6--abc",
    })
    void backendsWithoutACheckableHashGetNoHasher(String text) {
        Key key = Key.parse(text);
        assertThat(ContentHasher.forKey(key)).isEmpty();
        assertThat(ContentHasher.canVerify(key)).isFalse();
    }

    @Test
    void canVerifyAgreesWithForKey() {
        for (String text : GIT_ANNEX_KEYS) {
            assertThat(ContentHasher.canVerify(Key.parse(text))).as(text).isTrue();
        }
    }

    @Test
    void sizeMatches() {
        assertThat(ContentHasher.sizeMatches(Key.parse("SHA256E-s6--x"), 6)).isTrue();
        assertThat(ContentHasher.sizeMatches(Key.parse("SHA256E-s6--x"), 5)).isFalse();
        assertThat(ContentHasher.sizeMatches(Key.parse("SHA256E-s6--x"), 7)).isFalse();
        assertThat(ContentHasher.sizeMatches(Key.parse("URL--http://example.com/x"), 12345)).isTrue();
    }

    @Test
    void noUpdatesAfterTheDigest() {
        ContentHasher hasher = ContentHasher.forKey(Key.parse(GIT_ANNEX_KEYS[1])).orElseThrow();
        assertThat(hasher.matchesKey()).isTrue();
        assertThat(hasher.hexDigest()).isEqualTo(hasher.hexDigest());
        assertThatThrownBy(() -> hasher.update(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> hasher.update(ByteBuffer.allocate(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsBadRanges() {
        ContentHasher hasher = ContentHasher.forKey(Key.parse(GIT_ANNEX_KEYS[0])).orElseThrow();
        assertThatThrownBy(() -> hasher.update(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
