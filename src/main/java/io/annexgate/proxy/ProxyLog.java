package io.annexgate.proxy;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.repository.MapLog;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * git-annex's {@code proxy.log}: lines {@code <timestamp>s <proxy uuid> <uuid>:<name> ...}, the
 * newest line per proxy uuid winning, as {@code git annex updateproxy} writes them.
 */
final class ProxyLog {

    private ProxyLog() {
    }

    /** The remotes, uuid to name, that {@code proxy} proxies for according to {@code content}. */
    static Map<AnnexUuid, String> remotesOf(AnnexUuid proxy, String content) {
        String newest = MapLog.newest(content, (field, value) -> field.equals(proxy.value())).get(proxy.value());
        Map<AnnexUuid, String> remotes = new LinkedHashMap<>();
        if (newest != null) {
            for (String entry : newest.strip().split(" +")) {
                int colon = entry.indexOf(':');
                if (colon > 0) {
                    remotes.put(new AnnexUuid(entry.substring(0, colon)), entry.substring(colon + 1));
                }
            }
        }
        return remotes;
    }
}
