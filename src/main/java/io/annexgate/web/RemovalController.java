package io.annexgate.web;

import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Endpoint;
import io.annexgate.protocol.JsonShapes;
import io.annexgate.protocol.Key;
import io.annexgate.service.AnnexTarget;
import io.annexgate.service.RemoveOutcome;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.OptionalLong;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** remove and remove-before. */
@RestController
class RemovalController {

    private final TargetGate gate;

    RemovalController(TargetGate gate) {
        this.gate = gate;
    }

    @PostMapping("/git-annex/{uuid}/{version}/remove")
    void remove(@PathVariable String uuid, @PathVariable String version, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        handle(Endpoint.REMOVE, uuid, version, request, response);
    }

    @PostMapping("/git-annex/{uuid}/{version}/remove-before")
    void removeBefore(@PathVariable String uuid, @PathVariable String version, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        handle(Endpoint.REMOVE_BEFORE, uuid, version, request, response);
    }

    private void handle(Endpoint endpoint, String uuid, String version, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        ApiExchange.Versioned call = ApiExchange.versioned(request, endpoint, version);
        ApiVersion v = call.version();
        RequestParameters params = call.params();
        Key key = params.key();
        params.clientUuid(true);
        params.bypass();
        OptionalLong before = endpoint == Endpoint.REMOVE_BEFORE ? OptionalLong.of(params.timestamp()) : OptionalLong.empty();
        AnnexTarget target = gate.admit(uuid, endpoint, request);
        RemoveOutcome outcome = target.remove(key, before);
        boolean removed = outcome instanceof RemoveOutcome.Removed;
        ApiExchange.outcome(request, removed ? "removed" : "not_removed");
        ApiResponses.json(response, JsonShapes.removed(removed, v, outcome.plusUuids()));
    }
}
