package io.annexgate.cluster;

import io.annexgate.protocol.AnnexUuid;

/** git-annex's cluster uuids: they start with {@code ac} and have {@code 8} where a uuid's version goes. */
final class ClusterUuids {

    private ClusterUuids() {
    }

    static boolean isCluster(AnnexUuid uuid) {
        String u = uuid.value();
        return u.length() > 14 && u.startsWith("ac") && u.charAt(14) == '8';
    }
}
