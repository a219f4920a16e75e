package io.annexgate.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Users from the environment, as git annex p2phttp reads them:
 * {@code GIT_ANNEX_P2PHTTP_PASSWORD_<user>} and {@code GIT_ANNEX_P2PHTTP_PERMISSIONS_<user>}.
 */
public final class Users {

    static final String PASSWORD_PREFIX = "GIT_ANNEX_P2PHTTP_PASSWORD_";
    static final String PERMISSIONS_PREFIX = "GIT_ANNEX_P2PHTTP_PERMISSIONS_";

    private record User(byte[] password, AccessMode mode) { }

    private final Map<String, User> users;

    private Users(Map<String, User> users) {
        this.users = Map.copyOf(users);
    }

    public static Users fromEnvironment(Map<String, String> env) {
        Map<String, User> users = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(PASSWORD_PREFIX) && name.length() > PASSWORD_PREFIX.length()) {
                String user = name.substring(PASSWORD_PREFIX.length());
                AccessMode mode = AccessMode.fromPermissions(env.get(PERMISSIONS_PREFIX + user));
                users.put(user, new User(value.getBytes(StandardCharsets.UTF_8), mode));
            }
        });
        return new Users(users);
    }

    public int size() {
        return users.size();
    }

    /** The user's mode when name and password match exactly. */
    public Optional<AccessMode> authenticate(BasicCredentials credentials) {
        User user = users.get(credentials.userName());
        if (user == null || !MessageDigest.isEqual(user.password(), credentials.password())) {
            return Optional.empty();
        }
        return Optional.of(user.mode());
    }
}
