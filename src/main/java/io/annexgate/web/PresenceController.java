package io.annexgate.web;

import io.annexgate.protocol.Endpoint;
import io.annexgate.protocol.JsonShapes;
import io.annexgate.protocol.Key;
import io.annexgate.service.AnnexTarget;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** checkpresent and gettimestamp: questions that change nothing. */
@RestController
class PresenceController {

    private final TargetGate gate;

    PresenceController(TargetGate gate) {
        this.gate = gate;
    }

    @PostMapping("/git-annex/{uuid}/{version}/checkpresent")
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

    @PostMapping("/git-annex/{uuid}/{version}/gettimestamp")
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
