package io.annexgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class P2pHttpArgumentsTest {

    private static java.util.List<String> run(String... args) {
        return ((P2pHttpArguments.Parsed.Run) P2pHttpArguments.parse(args, "1.0")).springArguments();
    }

    @Test
    void p2phttpFlagsBecomeAnnexgateProperties() {
        assertThat(run("--port=19417", "--bind", "127.0.0.1", "--wideopen", "--jobs=4", "--unauth-nolocking",
                "--lockedfiles=5", "--authenv-http"))
                .containsExactly("--annexgate.port=19417", "--annexgate.bind=127.0.0.1", "--annexgate.auth.wideopen=true",
                        "--annexgate.jobs=4", "--annexgate.auth.unauth-nolocking=true", "--annexgate.lockedfiles=5",
                        "--annexgate.auth.authenv-http=true");
    }

    @Test
    void shortJobsAndRepeatedDirectories() {
        assertThat(run("-J8", "-J", "cpus", "--directory=/a", "--directory", "/b"))
                .containsExactly("--annexgate.jobs=8", "--annexgate.jobs=cpus",
                        "--annexgate.directories[0]=/a", "--annexgate.directories[1]=/b");
    }

    @Test
    void springSettingsPassThrough() {
        assertThat(run("--management.server.port=0", "--annexgate.lockedfiles=3"))
                .containsExactly("--management.server.port=0", "--annexgate.lockedfiles=3");
    }

    @Test
    void versionPrintsAndUnknownFlagsFail() {
        assertThat(P2pHttpArguments.parse(new String[] {"--wideopen", "--version"}, "1.2.3"))
                .isEqualTo(new P2pHttpArguments.Parsed.Print("annexgate 1.2.3"));
        assertThatThrownBy(() -> P2pHttpArguments.parse(new String[] {"--frobnicate"}, "1")).hasMessageContaining("unknown option --frobnicate");
        assertThatThrownBy(() -> P2pHttpArguments.parse(new String[] {"--port"}, "1")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> P2pHttpArguments.parse(new String[] {"--wideopen=yes"}, "1")).hasMessageContaining("takes no value");
    }
}
