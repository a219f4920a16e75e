package io.annexgate.protocol;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON bodies of the API, per version: fields in sorted order as the reference emits them,
 * {@code plusuuids} only from v2 on.
 */
public final class JsonShapes {

    private JsonShapes() {
    }

    public static Map<String, Object> present(boolean present) {
        return Map.of("present", present);
    }

    public static Map<String, Object> removed(boolean removed, ApiVersion version, List<AnnexUuid> plus) {
        return withPlus("removed", removed, version, plus);
    }

    public static Map<String, Object> stored(boolean stored, ApiVersion version, List<AnnexUuid> plus) {
        return withPlus("stored", stored, version, plus);
    }

    public static Map<String, Object> offset(long offset) {
        return Map.of("offset", offset);
    }

    public static Map<String, Object> alreadyHave(ApiVersion version, List<AnnexUuid> plus) {
        return withPlus("alreadyhave", true, version, plus);
    }

    public static Map<String, Object> locked(LockId lockId) {
        Map<String, Object> shape = new TreeMap<>();
        shape.put("locked", true);
        shape.put("lockid", lockId.toWire());
        return shape;
    }

    public static Map<String, Object> notLocked() {
        return Map.of("locked", false);
    }

    public static Map<String, Object> timestamp(long seconds) {
        return Map.of("timestamp", seconds);
    }

    private static Map<String, Object> withPlus(String field, boolean value, ApiVersion version, List<AnnexUuid> plus) {
        Map<String, Object> shape = new TreeMap<>();
        shape.put(field, value);
        if (version.hasPlusUuids()) {
            shape.put("plusuuids", plus.stream().map(AnnexUuid::value).toList());
        }
        return shape;
    }
}
