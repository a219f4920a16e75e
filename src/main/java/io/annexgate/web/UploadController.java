package io.annexgate.web;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Endpoint;
import io.annexgate.protocol.JsonShapes;
import io.annexgate.protocol.Key;
import io.annexgate.service.AnnexTarget;
import io.annexgate.service.PutOffsetOutcome;
import io.annexgate.service.PutOutcome;
import io.annexgate.service.Upload;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** put and putoffset. */
@RestController
class UploadController {

    private final TargetGate gate;

    UploadController(TargetGate gate) {
        this.gate = gate;
    }

    @PostMapping("/git-annex/{uuid}/{version}/put")
    void put(@PathVariable String uuid, @PathVariable String version, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        ApiExchange.Versioned call = ApiExchange.versioned(request, Endpoint.PUT, version);
        ApiVersion v = call.version();
        RequestParameters params = call.params();
        Key key = params.key();
        AnnexUuid client = params.clientUuid(true);
        params.bypass();
        params.associatedFile();
        long offset = params.offset();
        boolean dataPresent = params.dataPresent(v);
        long dataLength = params.dataLength();
        AnnexTarget target = gate.admit(uuid, Endpoint.PUT, request);
        PutOutcome outcome;
        try {
            outcome = target.put(new Upload(key, client, offset, dataLength, dataPresent, request.getInputStream()));
        } finally {
            UnreadBody.discard(request.getInputStream(), dataLength);
        }
        boolean stored = outcome instanceof PutOutcome.Stored;
        ApiExchange.outcome(request, stored ? "stored" : "not_stored");
        ApiResponses.json(response, JsonShapes.stored(stored, v, outcome.plusUuids()));
    }

    @PostMapping("/git-annex/{uuid}/{version}/putoffset")
    void putOffset(@PathVariable String uuid, @PathVariable String version, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        ApiExchange.Versioned call = ApiExchange.versioned(request, Endpoint.PUTOFFSET, version);
        ApiVersion v = call.version();
        RequestParameters params = call.params();
        Key key = params.key();
        params.clientUuid(true);
        params.bypass();
        AnnexTarget target = gate.admit(uuid, Endpoint.PUTOFFSET, request);
        switch (target.putOffset(key)) {
            case PutOffsetOutcome.Offset o -> ApiResponses.json(response, JsonShapes.offset(o.offset()));
            case PutOffsetOutcome.AlreadyHave a -> ApiResponses.json(response, JsonShapes.alreadyHave(v, a.plusUuids()));
        }
    }
}
