package io.annexgate.proxy.special;

import io.annexgate.protocol.AnnexUuid;
import java.util.ArrayList;
import java.util.HashMap;
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
        Map<String, String> treeByParticipants = new HashMap<>();
        Map<String, Double> timeByParticipants = new HashMap<>();
        for (String line : content.split("\n")) {
            String[] fields = line.strip().split(" +");
            if (fields.length < 3 || !fields[0].endsWith("s")) {
                continue;
            }
            int colon = fields[1].indexOf(':');
            if (colon <= 0 || !fields[1].substring(colon + 1).equals(remote.value())) {
                continue;
            }
            double time;
            try {
                time = Double.parseDouble(fields[0].substring(0, fields[0].length() - 1));
            } catch (NumberFormatException e) {
                continue;
            }
            if (time >= timeByParticipants.getOrDefault(fields[1], Double.NEGATIVE_INFINITY)) {
                timeByParticipants.put(fields[1], time);
                treeByParticipants.put(fields[1], fields[2]);
            }
        }
        List<String> trees = new ArrayList<>();
        for (String tree : treeByParticipants.values()) {
            if (!trees.contains(tree)) {
                trees.add(tree);
            }
        }
        trees.sort(null);
        return trees;
    }
}
