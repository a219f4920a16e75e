package io.annexgate.repository;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * git-annex's map logs on the git-annex branch (Logs/MapLog.hs; proxy.log, export.log): lines
 * {@code <timestamp>s <field> <value>}, the newest line per field winning (a later line on a tie).
 */
public final class MapLog {

    private MapLog() {
    }

    /**
     * The newest value of each field in {@code content}, among the lines {@code accept} takes
     * (field, value); lines without a timestamp and a field are skipped.
     */
    public static Map<String, String> newest(String content, BiPredicate<String, String> accept) {
        Map<String, String> values = new HashMap<>();
        Map<String, Double> times = new HashMap<>();
        for (String line : content.split("\n")) {
            String[] fields = line.strip().split(" +", 3);
            if (fields.length < 2 || !fields[0].endsWith("s")) {
                continue;
            }
            String value = fields.length == 3 ? fields[2].strip() : "";
            if (!accept.test(fields[1], value)) {
                continue;
            }
            double time;
            try {
                time = Double.parseDouble(fields[0].substring(0, fields[0].length() - 1));
            } catch (NumberFormatException e) {
                continue;
            }
            if (time >= times.getOrDefault(fields[1], Double.NEGATIVE_INFINITY)) {
                times.put(fields[1], time);
                values.put(fields[1], value);
            }
        }
        return values;
    }
}
