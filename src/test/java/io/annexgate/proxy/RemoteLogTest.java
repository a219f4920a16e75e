package io.annexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.AnnexUuid;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteLogTest {

    private static final AnnexUuid D = new AnnexUuid("09e25d64-d1bf-4e51-81cd-6c7520d2c26b");
    private static final AnnexUuid E = new AnnexUuid("409c425a-fea7-43d8-b2dc-78239ffe2b63");

    @Test
    void readsEachRemotesConfigurationWithoutTheTimestamp() {
        Map<AnnexUuid, Map<String, String>> configs = RemoteLog.parse("""
                09e25d64-d1bf-4e51-81cd-6c7520d2c26b encryption=none name=d type=directory timestamp=1795631383s
                409c425a-fea7-43d8-b2dc-78239ffe2b63 annexobjects=yes encryption=none exporttree=yes name=e type=directory timestamp=1795631384s
                """);
        assertThat(configs.get(D)).isEqualTo(Map.of("encryption", "none", "name", "d", "type", "directory"));
        assertThat(configs.get(E)).containsEntry("exporttree", "yes").containsEntry("annexobjects", "yes");
    }

    @Test
    void theNewestLineWinsWhateverTheOrder() {
        Map<AnnexUuid, Map<String, String>> configs = RemoteLog.parse("""
                09e25d64-d1bf-4e51-81cd-6c7520d2c26b name=new type=directory timestamp=20s
                09e25d64-d1bf-4e51-81cd-6c7520d2c26b name=old type=rsync timestamp=10s
                """);
        assertThat(configs.get(D)).containsEntry("name", "new").containsEntry("type", "directory");
    }

    @Test
    void escapedSpacesAndAmpersandsAreDecodedAndBrokenLinesSkipped() {
        Map<AnnexUuid, Map<String, String>> configs = RemoteLog.parse("""
                just-a-uuid-and-nothing-else

                09e25d64-d1bf-4e51-81cd-6c7520d2c26b directory=/srv/my&32;store&38;more name=d bare timestamp=5s
                """);
        assertThat(configs).containsOnlyKeys(D);
        assertThat(configs.get(D)).containsEntry("directory", "/srv/my store&more").doesNotContainKey("bare");
        assertThat(RemoteLog.unescape("a&b&12x;c&;")).isEqualTo("a&b&12x;c&;");
    }
}
