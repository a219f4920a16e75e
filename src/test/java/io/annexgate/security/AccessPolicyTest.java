package io.annexgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexgate.protocol.InvalidValueException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** git annex p2phttp's permission table, row by row, as observed on the reference. */
class AccessPolicyTest {

    static final Users USERS = Users.fromEnvironment(Map.of(
            "GIT_ANNEX_P2PHTTP_PASSWORD_alice", "rw-secret",
            "GIT_ANNEX_P2PHTTP_PASSWORD_bob", "ro-secret",
            "GIT_ANNEX_P2PHTTP_PERMISSIONS_bob", "readonly",
            "GIT_ANNEX_P2PHTTP_PASSWORD_carol", "ao:secret",
            "GIT_ANNEX_P2PHTTP_PERMISSIONS_carol", "appendonly"));

    static AuthSettings flags(String spec) {
        return new AuthSettings(spec.contains("wideopen"), spec.contains("unauth-readonly"),
                spec.contains("unauth-appendonly"), spec.contains("unauth-nolocking"),
                spec.matches(".*authenv(\\s|$).*"), spec.contains("authenv-http"));
    }

    static Optional<BasicCredentials> who(String user) {
        return switch (user) {
            case "anon" -> Optional.empty();
            case "alice" -> Optional.of(creds("alice:rw-secret"));
            case "bob" -> Optional.of(creds("bob:ro-secret"));
            case "carol" -> Optional.of(creds("carol:ao:secret"));
            case "wrong" -> Optional.of(creds("alice:nope"));
            default -> throw new IllegalArgumentException(user);
        };
    }

    static BasicCredentials creds(String userColonPassword) {
        return BasicCredentials.parse("Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8)));
    }

    static String decide(String flags, boolean https, String user, ActionClass action) {
        return switch (new AccessPolicy(flags(flags), USERS).decide(who(user), https, action)) {
            case AccessDecision.Allowed a -> "200";
            case AccessDecision.AuthenticationRequired r -> "401";
            case AccessDecision.Forbidden f -> "403";
        };
    }

    @ParameterizedTest(name = "[{0}] {1} over {2}: read {3} write {4} remove {5} lock {6}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                 | anon  | http  | 401 | 401 | 401 | 401
            ''                                 | alice | http  | 401 | 401 | 401 | 401
            wideopen                           | anon  | http  | 200 | 200 | 200 | 200
            wideopen                           | wrong | http  | 200 | 200 | 200 | 200
            unauth-readonly                    | anon  | http  | 200 | 403 | 403 | 200
            unauth-readonly unauth-nolocking   | anon  | http  | 200 | 403 | 403 | 403
            unauth-appendonly                  | anon  | http  | 200 | 200 | 403 | 200
            unauth-appendonly unauth-nolocking | anon  | http  | 200 | 200 | 403 | 200
            authenv-http                       | anon  | http  | 401 | 401 | 401 | 401
            authenv-http                       | alice | http  | 200 | 200 | 200 | 200
            authenv-http                       | wrong | http  | 401 | 401 | 401 | 401
            authenv-http                       | bob   | http  | 200 | 403 | 403 | 403
            authenv-http                       | carol | http  | 200 | 200 | 403 | 200
            authenv-http unauth-readonly       | anon  | http  | 200 | 401 | 401 | 200
            authenv-http unauth-readonly       | wrong | http  | 200 | 403 | 403 | 200
            authenv-http unauth-readonly       | bob   | http  | 200 | 403 | 403 | 403
            authenv                            | alice | http  | 401 | 401 | 401 | 401
            authenv                            | alice | https | 200 | 200 | 200 | 200
            authenv unauth-readonly            | anon  | http  | 200 | 401 | 401 | 200
            authenv unauth-readonly            | alice | http  | 200 | 403 | 403 | 200
            """)
    void table(String flags, String user, String transport, String read, String write, String remove, String lock) {
        boolean https = transport.equals("https");
        assertThat(new String[] {
                decide(flags, https, user, ActionClass.READ),
                decide(flags, https, user, ActionClass.WRITE),
                decide(flags, https, user, ActionClass.REMOVE),
                decide(flags, https, user, ActionClass.LOCK)})
                .containsExactly(read, write, remove, lock);
    }

    @Test
    void passwordIsEverythingAfterTheFirstColon() {
        BasicCredentials c = creds("carol:ao:secret");
        assertThat(c.userName()).isEqualTo("carol");
        assertThat(new String(c.password(), StandardCharsets.UTF_8)).isEqualTo("ao:secret");
    }

    @Test
    void anythingButBasicIsRejected() {
        assertThatThrownBy(() -> BasicCredentials.parse("Bearer xyz")).isInstanceOf(InvalidValueException.class)
                .hasMessage("Error parsing header Authorization failed: invalid basic auth header");
        assertThatThrownBy(() -> BasicCredentials.parse("Basic !!!")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> BasicCredentials.parse("Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes())))
                .isInstanceOf(InvalidValueException.class);
        assertThat(BasicCredentials.parse("bAsIc " + Base64.getEncoder().encodeToString("a:b".getBytes())).userName()).isEqualTo("a");
    }

    @Test
    void permissionsOtherThanReadonlyAndAppendonlyMeanReadWrite() {
        assertThat(AccessMode.fromPermissions("readonly")).isEqualTo(AccessMode.READ_ONLY);
        assertThat(AccessMode.fromPermissions("appendonly")).isEqualTo(AccessMode.APPEND_ONLY);
        assertThat(AccessMode.fromPermissions("bogus")).isEqualTo(AccessMode.READ_WRITE);
        assertThat(AccessMode.fromPermissions(null)).isEqualTo(AccessMode.READ_WRITE);
    }
}
