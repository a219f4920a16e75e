package io.annexgate.web;

import io.annexgate.protocol.Endpoint;
import io.annexgate.protocol.JsonShapes;
import io.annexgate.protocol.Key;
import io.annexgate.service.AnnexTarget;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * checkpresent and gettimestamp: questions that change nothing. Besides the protocol's POST they
 * answer GET alike (same JSON, same read permission), so a front end can authorise by method.
 */
@RestController
class PresenceController {

    private final TargetGate gate;

    PresenceController(TargetGate gate) {
        this.gate = gate;
    }

    @RequestMapping(path = "/git-annex/{uuid}/{version}/checkpresent", method = {RequestMethod.POST, RequestMethod.GET})
    void checkPresent(@PathVariable String uuid, @PathVariable String version, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        ApiExchange.Versioned call = ApiExchange.versioned(request, Endpoint.CHECKPRESENT, version);
        RequestParameters params = call.params();
        Key key = params.key();
        params.clientUuid(true);
        params.bypass();
        AnnexTarget target = gate.admit(uuid, Endpoint.CHECKPRESENT, request);
        boolean present = target.checkPresent(key);
        ApiExchange.outcome(request, present ? "present" : "absent");
        ApiResponses.json(response, JsonShapes.present(present));
    }

    @RequestMapping(path = "/git-annex/{uuid}/{version}/gettimestamp", method = {RequestMethod.POST, RequestMethod.GET})
    void getTimestamp(@PathVariable String uuid, @PathVariable String version, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        ApiExchange.Versioned call = ApiExchange.versioned(request, Endpoint.GETTIMESTAMP, version);
        RequestParameters params = call.params();
        params.clientUuid(true);
        params.bypass();
        AnnexTarget target = gate.admit(uuid, Endpoint.GETTIMESTAMP, request);
        ApiResponses.json(response, JsonShapes.timestamp(target.timestamp()));
    }
}
