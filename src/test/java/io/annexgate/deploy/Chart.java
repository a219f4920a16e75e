package io.annexgate.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Renders the Helm chart with helm-java (Helm's own Go code, in process) and gives typed access to the manifests. */
final class Chart {

    static final Path DIR = Path.of("helm", "annexgate");
    static final String RELEASE = "gate";
    static final String NAMESPACE = "annex";
    /** Full name of the release's resources: release name + chart name. */
    static final String FULLNAME = RELEASE + "-annexgate";

    private final List<Map<String, Object>> docs;

    private Chart(List<Map<String, Object>> docs) {
        this.docs = docs;
    }

    /** Renders with a file from the chart's ci/ directory (or none) plus --set pairs. */
    static Chart render(String ciValuesFile, Object... setPairs) {
        TemplateCommand cmd = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
        if (ciValuesFile != null) {
            cmd = cmd.withValuesFile(DIR.resolve("ci").resolve(ciValuesFile));
        }
        for (int i = 0; i < setPairs.length; i += 2) {
            cmd = cmd.set((String) setPairs[i], setPairs[i + 1]);
        }
        return parse(cmd.call());
    }

    @SuppressWarnings("unchecked")
    static Chart parse(String manifests) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml.loadAll(manifests)) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return new Chart(docs);
    }

    List<Map<String, Object>> docs() {
        return docs;
    }

    List<String> kinds() {
        return docs.stream().map(d -> (String) d.get("kind")).sorted().collect(Collectors.toList());
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return docs.stream()
                .filter(d -> kind.equals(d.get("kind")) && name.equals(map(d, "metadata").get("name")))
                .findFirst();
    }

    Map<String, Object> get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(kind + "/" + name + " not rendered; got " + names()));
    }

    List<String> names() {
        return docs.stream().map(d -> d.get("kind") + "/" + map(d, "metadata").get("name")).collect(Collectors.toList());
    }

    Map<String, Object> statefulSet() {
        return get("StatefulSet", FULLNAME);
    }

    Map<String, Object> podSpec() {
        return map(statefulSet(), "spec", "template", "spec");
    }

    Map<String, Object> container() {
        List<Map<String, Object>> containers = list(podSpec(), "containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    /** The container's env as name → EnvVar. */
    Map<String, Map<String, Object>> env() {
        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        for (Map<String, Object> var : Chart.<Map<String, Object>>list(container(), "env")) {
            Object previous = env.put((String) var.get("name"), var);
            assertThat(previous).as("env var %s defined twice", var.get("name")).isNull();
        }
        return env;
    }

    /** Plain env values (variables taken from Secrets are left out). */
    Map<String, String> envValues() {
        Map<String, String> values = new LinkedHashMap<>();
        env().forEach((name, var) -> {
            if (var.containsKey("value")) {
                values.put(name, String.valueOf(var.get("value")));
            }
        });
        return values;
    }

    /** containerPort of the container's port with this name. */
    int containerPort(String portName) {
        for (Map<String, Object> port : Chart.<Map<String, Object>>list(container(), "ports")) {
            if (portName.equals(port.get("name"))) {
                return (Integer) port.get("containerPort");
            }
        }
        throw new AssertionError("no container port named " + portName);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> from, String... path) {
        Object current = from;
        for (String key : path) {
            assertThat(current).as("parent of %s", key).isInstanceOf(Map.class);
            current = ((Map<String, Object>) current).get(key);
            assertThat(current).as("key %s in %s", key, String.join(".", path)).isNotNull();
        }
        assertThat(current).isInstanceOf(Map.class);
        return (Map<String, Object>) current;
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> list(Map<String, Object> from, String key) {
        Object value = from.get(key);
        assertThat(value).as("list %s", key).isInstanceOf(List.class);
        return (List<T>) value;
    }
}
