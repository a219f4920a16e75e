package io.annexgate.web;

import io.annexgate.protocol.InvalidValueException;
import io.annexgate.security.AccessPolicy;
import io.annexgate.service.NoLongerServed;
import io.annexgate.service.ProtocolFailure;
import io.annexgate.service.ProxiedNotFound;
import io.annexgate.service.ProxyBusy;
import io.annexgate.service.ProxyUnavailable;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Every refusal and failure of the API, answered in one place the way the reference answers it. */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(BadRequest.class)
    void badRequest(BadRequest e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiResponses.text(response, 400, e.getMessage());
        UnreadBody.afterRefusal(request, response);
    }

    @ExceptionHandler(InvalidValueException.class)
    void invalidValue(InvalidValueException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        ApiResponses.text(response, 400, "Error parsing query parameter key failed: " + e.getMessage());
        UnreadBody.afterRefusal(request, response);
    }

    /** Refusals come before the body is read: the answer goes out, then what the client still sends is read. */
    @ExceptionHandler(Refusal.class)
    void refusal(Refusal e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (e.kind()) {
            case NOT_SERVED -> ApiResponses.text(response, 404, "");
            case UNKNOWN_VERSION -> ApiResponses.text(response, 404, "bad version");
            case AUTHENTICATION_REQUIRED -> {
                response.setHeader("WWW-Authenticate", AccessPolicy.WWW_AUTHENTICATE);
                ApiResponses.text(response, 401, "");
            }
            case FORBIDDEN -> ApiResponses.text(response, 403, "");
        }
        UnreadBody.afterRefusal(request, response);
    }

    /** A repository let go of between finding its uuid and using it: 404, as for a uuid not served. */
    @ExceptionHandler(NoLongerServed.class)
    void noLongerServed(NoLongerServed e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiResponses.text(response, 404, "");
        UnreadBody.afterRefusal(request, response);
    }

    @ExceptionHandler(ProtocolFailure.class)
    void protocolFailure(ProtocolFailure e, HttpServletResponse response) throws IOException {
        ApiResponses.text(response, 500, e.getMessage());
    }

    /** 502, or 503 when the remote is only busy ({@link ProxyBusy}). */
    @ExceptionHandler(ProxyUnavailable.class)
    void proxyUnavailable(ProxyUnavailable e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (response.isCommitted()) {
            log.warn("{} {} failed after the answer began: {}", request.getMethod(), request.getRequestURI(),
                    e.getMessage());
            return;
        }
        ApiResponses.text(response, e instanceof ProxyBusy ? 503 : 502, e.getMessage());
    }

    @ExceptionHandler(ProxiedNotFound.class)
    void proxiedNotFound(ProxiedNotFound e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (response.isCommitted()) {
            log.warn("{} {} failed after the answer began: {}", request.getMethod(), request.getRequestURI(),
                    e.getMessage());
            return;
        }
        ApiResponses.text(response, 404, e.getMessage());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    void notFound(HttpServletResponse response) {
        response.setStatus(404);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    void wrongMethod(HttpServletResponse response) {
        response.setStatus(405);
    }

    @ExceptionHandler(EofException.class)
    void clientGone(EofException e, HttpServletRequest request) {
        log.debug("client went away during {}", request.getRequestURI());
    }

    @ExceptionHandler(Exception.class)
    void unexpected(Exception e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            log.warn("request {}: {} {} failed after the answer began: {}", request.getRequestId(), request.getMethod(),
                    request.getRequestURI(), e.toString());
            return;
        }
        log.error("request {}: {} {} failed", request.getRequestId(), request.getMethod(), request.getRequestURI(), e);
        ApiResponses.text(response, 500, "internal error");
    }
}
