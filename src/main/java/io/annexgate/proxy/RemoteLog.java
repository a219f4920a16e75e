package io.annexgate.proxy;

import io.annexgate.protocol.AnnexUuid;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * git-annex's {@code remote.log}: a special remote's configuration, lines
 * {@code <uuid> key=value ... timestamp=<t>s}, the newest line per uuid winning; values escape
 * spaces and ampersands as {@code &<decimal>;}.
 */
final class RemoteLog {

    private RemoteLog() {
    }

    /** Every special remote's configuration in {@code content}, by uuid. */
    static Map<AnnexUuid, Map<String, String>> parse(String content) {
        Map<AnnexUuid, Map<String, String>> configs = new HashMap<>();
        Map<AnnexUuid, Double> times = new HashMap<>();
        for (String line : content.split("\n")) {
            String[] fields = line.strip().split(" +");
            if (fields.length < 2 || fields[0].isEmpty()) {
                continue;
            }
            AnnexUuid uuid;
            try {
                uuid = new AnnexUuid(fields[0]);
            } catch (RuntimeException e) {
                continue;
            }
            Map<String, String> config = new LinkedHashMap<>();
            double time = 0;
            for (int i = 1; i < fields.length; i++) {
                int eq = fields[i].indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = fields[i].substring(0, eq);
                String value = unescape(fields[i].substring(eq + 1));
                if (name.equals("timestamp") && value.endsWith("s")) {
                    try {
                        time = Double.parseDouble(value.substring(0, value.length() - 1));
                    } catch (NumberFormatException e) {
                        time = 0;
                    }
                } else {
                    config.put(name, value);
                }
            }
            if (time >= times.getOrDefault(uuid, Double.NEGATIVE_INFINITY)) {
                times.put(uuid, time);
                configs.put(uuid, Map.copyOf(config));
            }
        }
        return configs;
    }

    static String unescape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '&') {
                int j = i + 1;
                while (j < value.length() && Character.isDigit(value.charAt(j))) {
                    j++;
                }
                if (j > i + 1 && j < value.length() && value.charAt(j) == ';') {
                    try {
                        out.appendCodePoint(Integer.parseInt(value.substring(i + 1, j)));
                        i = j + 1;
                        continue;
                    } catch (IllegalArgumentException e) {
                        // not an entity after all
                    }
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }
}
