package io.annexgate.proxy.special;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.repository.MapLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * git-annex's {@code export.log} (Logs/Export.hs): lines
 * {@code <timestamp>s <from uuid>:<to uuid> <exported tree> [<incomplete tree> ...]}, the newest
 * line per (from, to) pair winning. A remote's exported trees are the first tree of every pair
 * whose {@code to} is that remote; more than one is an export conflict.
 */
final class ExportLog {

    private ExportLog() {
    }

    /** The distinct trees exported to {@code remote}, as git-annex's {@code exportedTreeishes}. */
    static List<String> exportedTrees(String content, AnnexUuid remote) {
        Map<String, String> treeByParticipants = MapLog.newest(content,
                (participants, value) -> !value.isEmpty() && participants.indexOf(':') > 0
                        && participants.substring(participants.indexOf(':') + 1).equals(remote.value()));
        List<String> trees = new ArrayList<>();
        for (String value : treeByParticipants.values()) {
            String tree = value.split(" +")[0];
            if (!trees.contains(tree)) {
                trees.add(tree);
            }
        }
        trees.sort(null);
        return trees;
    }
}
