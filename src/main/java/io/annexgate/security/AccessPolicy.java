package io.annexgate.security;

import java.util.Optional;

/**
 * git annex p2phttp's permission table: who is asking (anonymous, a user from the environment,
 * or someone with a wrong password), what the flags grant them, and 401 versus 403.
 */
public final class AccessPolicy {

    public static final String WWW_AUTHENTICATE = "Basic realm=\"git-annex\", charset=\"UTF-8\"";

    private final AuthSettings settings;
    private final Users users;

    public AccessPolicy(AuthSettings settings, Users users) {
        this.settings = settings;
        this.users = users;
    }

    /** The effective mode of a request: git-annex's ServerMode, with its two allowances. */
    private record EffectiveMode(Optional<AccessMode> mode, boolean unauthenticatedLocking, boolean authenticationAllowed) { }

    /**
     * @param authorization the {@code Authorization} header, if any (malformed ones must have been
     *     rejected by {@link BasicCredentials#parse} before)
     */
    public AccessDecision decide(Optional<BasicCredentials> authorization, boolean secure, ActionClass action) {
        return decide(effectiveMode(authorization, secure), action);
    }

    private EffectiveMode effectiveMode(Optional<BasicCredentials> credentials, boolean secure) {
        if (credentials.isEmpty()) {
            return anonymous(settings);
        }
        if (settings.checksCredentials(secure)) {
            Optional<AccessMode> user = users.authenticate(credentials.get());
            if (user.isPresent()) {
                return new EffectiveMode(user, false, false);
            }
        }
        return anonymous(settings.withoutAuthentication());
    }

    private static EffectiveMode anonymous(AuthSettings s) {
        boolean canAuth = s.authenv() || s.authenvHttp();
        boolean locking = !s.unauthNolocking();
        if (s.wideopen()) {
            return new EffectiveMode(Optional.of(AccessMode.READ_WRITE), locking, false);
        }
        if (s.unauthAppendonly()) {
            return new EffectiveMode(Optional.of(AccessMode.APPEND_ONLY), locking, canAuth);
        }
        if (s.unauthReadonly()) {
            return new EffectiveMode(Optional.of(AccessMode.READ_ONLY), locking, canAuth);
        }
        return new EffectiveMode(Optional.empty(), false, canAuth);
    }

    private static AccessDecision decide(EffectiveMode m, ActionClass action) {
        if (m.mode().isEmpty()) {
            return new AccessDecision.AuthenticationRequired();
        }
        AccessMode mode = m.mode().get();
        if (mode == AccessMode.READ_WRITE) {
            return new AccessDecision.Allowed(mode);
        }
        if (m.unauthenticatedLocking() && action == ActionClass.LOCK) {
            return new AccessDecision.Allowed(AccessMode.READ_ONLY);
        }
        boolean allowed = switch (mode) {
            case APPEND_ONLY -> action != ActionClass.REMOVE;
            case READ_ONLY -> action == ActionClass.READ;
            case READ_WRITE -> true;
        };
        if (allowed) {
            return new AccessDecision.Allowed(mode);
        }
        return m.authenticationAllowed() ? new AccessDecision.AuthenticationRequired() : new AccessDecision.Forbidden();
    }
}
