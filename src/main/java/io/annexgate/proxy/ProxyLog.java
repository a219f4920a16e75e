package io.annexgate.proxy;

import io.annexgate.protocol.AnnexUuid;
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
        String newest = null;
        double newestTime = Double.NEGATIVE_INFINITY;
        for (String line : content.split("\n")) {
            String[] fields = line.strip().split(" ", 3);
            if (fields.length < 2 || !fields[1].equals(proxy.value()) || !fields[0].endsWith("s")) {
                continue;
            }
            double time;
            try {
                time = Double.parseDouble(fields[0].substring(0, fields[0].length() - 1));
            } catch (NumberFormatException e) {
                continue;
            }
            if (time >= newestTime) {
                newestTime = time;
                newest = fields.length == 3 ? fields[2] : "";
            }
        }
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
