package io.annexgate.web;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Endpoint;
import io.annexgate.protocol.InvalidValueException;
import io.annexgate.security.AccessDecision;
import io.annexgate.security.AccessPolicy;
import io.annexgate.security.ActionClass;
import io.annexgate.security.BasicCredentials;
import io.annexgate.service.AnnexTarget;
import io.annexgate.service.TargetRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Where every API request passes after its parameters parsed: which target its uuid names (404
 * if none), then whether the asker may do this kind of action there (401/403), in the reference's order.
 */
@Component
class TargetGate {

    private final TargetRegistry registry;
    private final AccessPolicy policy;

    TargetGate(TargetRegistry registry, AccessPolicy policy) {
        this.registry = registry;
        this.policy = policy;
    }

    AnnexTarget admit(String uuidSegment, Endpoint endpoint, HttpServletRequest request) {
        Optional<BasicCredentials> credentials = credentials(request);
        AnnexUuid uuid;
        try {
            uuid = AnnexUuid.fromWire(uuidSegment);
        } catch (InvalidValueException e) {
            throw new BadRequest("Error parsing path uuid failed: " + e.getMessage());
        }
        AnnexTarget target = registry.find(uuid).orElseThrow(() -> new Refusal(Refusal.Kind.NOT_SERVED));
        AccessDecision decision = policy.decide(credentials, request.isSecure(), ActionClass.of(endpoint));
        return switch (decision) {
            case AccessDecision.Allowed allowed -> target.forRequest(version(request), bypass(request));
            case AccessDecision.AuthenticationRequired required -> throw new Refusal(Refusal.Kind.AUTHENTICATION_REQUIRED);
            case AccessDecision.Forbidden forbidden -> throw new Refusal(Refusal.Kind.FORBIDDEN);
        };
    }

    /** The API version of a versioned request; the unversioned endpoints are the oldest protocol. */
    private static ApiVersion version(HttpServletRequest request) {
        return request.getAttribute(ApiExchange.VERSION) instanceof ApiVersion v ? v : ApiVersion.V0;
    }

    /** The gateways a proxied request must not pass through again. */
    private static Set<AnnexUuid> bypass(HttpServletRequest request) {
        String[] values = request.getParameterValues("bypass");
        Set<AnnexUuid> bypass = new HashSet<>();
        if (values != null) {
            for (String v : values) {
                try {
                    bypass.add(AnnexUuid.fromClient(v));
                } catch (InvalidValueException e) {
                    // the controllers that take bypass validated it already; elsewhere it is ignored
                }
            }
        }
        return bypass;
    }

    private static Optional<BasicCredentials> credentials(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(BasicCredentials.parse(header));
        } catch (InvalidValueException e) {
            throw new BadRequest(e.getMessage());
        }
    }
}
