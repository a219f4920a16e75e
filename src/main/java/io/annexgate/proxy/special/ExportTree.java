package io.annexgate.proxy.special;

import io.annexgate.protocol.Key;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One exported tree as git-annex's export database knows it: for each annexed key, the paths of
 * the tree (export locations) whose symlink or pointer file names it. Files stored in git itself
 * are left out; a client never puts them by key.
 */
final class ExportTree {

    static final ExportTree EMPTY = new ExportTree(Map.of(), 0);

    private final Map<String, List<String>> pathsByKey;
    private final long weight;

    private ExportTree(Map<String, List<String>> pathsByKey, long weight) {
        this.pathsByKey = pathsByKey;
        this.weight = weight;
    }

    /** The paths {@code key} is exported to, in tree order; empty when the tree does not name it. */
    List<String> paths(Key key) {
        return pathsByKey.getOrDefault(key.serialize(), List.of());
    }

    int keys() {
        return pathsByKey.size();
    }

    /** Roughly the bytes held, for bounding the cache of trees. */
    long weight() {
        return weight;
    }

    static final class Builder {

        private static final long ENTRY_OVERHEAD = 96;

        private final Map<String, List<String>> pathsByKey = new HashMap<>();
        private long weight;

        void add(Key key, String path) {
            String k = key.serialize();
            List<String> old = pathsByKey.get(k);
            if (old == null) {
                pathsByKey.put(k, List.of(path));
                weight += ENTRY_OVERHEAD + 2L * k.length();
            } else {
                String[] paths = old.toArray(new String[old.size() + 1]);
                paths[old.size()] = path;
                pathsByKey.put(k, List.of(paths));
            }
            weight += ENTRY_OVERHEAD / 2 + 2L * path.length();
        }

        ExportTree build() {
            return new ExportTree(Map.copyOf(pathsByKey), weight);
        }
    }
}
