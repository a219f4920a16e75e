package io.annexgate.deploy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** The Grafana dashboard shipped with the chart. */
final class Dashboard {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static String file() throws IOException {
        return Files.readString(Chart.DIR.resolve("dashboards").resolve("annexgate.json"));
    }

    static JsonNode parse(String json) {
        return JSON.readTree(json);
    }

    /** Every panel's queries, rows' nested panels included. */
    static List<String> expressions(JsonNode dashboard) {
        List<String> exprs = new ArrayList<>();
        collect(dashboard.path("panels"), exprs);
        return exprs;
    }

    private static void collect(JsonNode panels, List<String> exprs) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                exprs.add(target.path("expr").asString());
            }
            collect(panel.path("panels"), exprs);
        }
    }

    private Dashboard() {
    }
}
