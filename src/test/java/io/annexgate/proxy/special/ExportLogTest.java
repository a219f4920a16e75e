package io.annexgate.proxy.special;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExportLogTest {

    private static final AnnexUuid REMOTE = new AnnexUuid("6be8fe95-66d6-4b14-bffd-1a929c7115cd");
    private static final String HERE = "c3a70276-5d57-44aa-9e36-22af693d7ba5";
    private static final String THERE = "0badc0de-0000-4000-8000-000000000001";
    private static final String T1 = "4ed6b93939acac7fff5da6cceffc92d3786f8fcd";
    private static final String T2 = "5f6a1c3d9b1e8f0a7c6d5e4f3a2b1c0d9e8f7a6b";

    @Test
    void theNewestTreePerExporterCountsAndIncompleteTreesDoNot() {
        String log = "1795631800s " + HERE + ":" + REMOTE.value() + " " + T2 + "\n"
                + "1795631819.5s " + HERE + ":" + REMOTE.value() + " " + T1 + " " + T2 + "\n"
                + "1795631900s " + HERE + ":0badc0de-0000-4000-8000-00000000dead " + T2 + "\n";
        assertThat(ExportLog.exportedTrees(log, REMOTE)).containsExactly(T1);
    }

    @Test
    void twoExportersWithDifferentTreesAreAConflict() {
        String log = "1s " + HERE + ":" + REMOTE.value() + " " + T1 + "\n"
                + "2s " + THERE + ":" + REMOTE.value() + " " + T2 + "\n";
        assertThat(ExportLog.exportedTrees(log, REMOTE)).containsExactlyInAnyOrder(T1, T2);
        String agreeing = "1s " + HERE + ":" + REMOTE.value() + " " + T1 + "\n"
                + "2s " + THERE + ":" + REMOTE.value() + " " + T1 + "\n";
        assertThat(ExportLog.exportedTrees(agreeing, REMOTE)).containsExactly(T1);
        assertThat(ExportLog.exportedTrees("", REMOTE)).isEmpty();
    }

    @Test
    void symlinkTargetsAndPointerFilesNameTheirKey() {
        String key = "SHA256E-s100000--adf30fc43c45817470f766cb18106ce14b46f19d4681035aa28dcd2703f0e858.bin";
        assertThat(AnnexPointers.keyOf(bytes("../../.git/annex/objects/pX/ZJ/" + key + "/" + key)))
                .contains(Key.parse(key));
        assertThat(AnnexPointers.keyOf(bytes("/annex/objects/" + key + "\n"))).contains(Key.parse(key));
        assertThat(AnnexPointers.keyOf(bytes("/annex/objects/" + key + "\r\n"))).contains(Key.parse(key));
        assertThat(AnnexPointers.keyOf(bytes("just a small file\n"))).isEmpty();
        assertThat(AnnexPointers.keyOf(bytes("/annex/objects/" + key + "\nand more text\n"))).isEmpty();
        assertThat(AnnexPointers.keyOf(bytes("/annex/objects/not-a-key\n"))).isEmpty();
    }

    @Test
    void fileKeyReversesTheKeyFileNameEscapes() {
        Key url = Key.parse("URL--http://example.com/a&b%c");
        assertThat(AnnexPointers.fileKey(url.fileName())).contains(url);
    }

    @Test
    void onlyPathsInsideTheRemoteAndOutsideItsAnnexobjectsAreExportLocations() {
        assertThat(ExportedTrees.safe("a/b.bin")).isTrue();
        assertThat(ExportedTrees.safe(".gitignore")).isTrue();
        assertThat(ExportedTrees.safe(".git/annex/objects/x")).isFalse();
        assertThat(ExportedTrees.safe("a/../../etc/passwd")).isFalse();
        assertThat(ExportedTrees.safe("/etc/passwd")).isFalse();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
