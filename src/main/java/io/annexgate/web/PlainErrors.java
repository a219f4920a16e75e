package io.annexgate.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors answered before any controller runs, by Jetty (a request line or header it cannot parse,
 * a URI or headers too long, a path it refuses) or by the servlet container's error dispatch: a
 * short line of plain text with the status, like the API's own 4xx answers, never an HTML page.
 * git-annex's server (Warp) answers these as {@code text/plain; charset=utf-8} too.
 */
final class PlainErrors {

    static final String CONTENT_TYPE = "text/plain;charset=utf-8";

    /** Longest message passed on; Jetty's are a few words. */
    private static final int MAX_MESSAGE = 200;

    private PlainErrors() {
    }

    /**
     * The body for an error status: what went wrong in a few words for a 4xx (Jetty's message, else
     * the status's reason phrase); for a 5xx only its reason phrase, {@code internal error} for a
     * 500 as the controllers answer it (the log says more).
     */
    static String text(int status, String message) {
        if (status == HttpStatus.INTERNAL_SERVER_ERROR_500) {
            return "internal error";
        }
        String reason = HttpStatus.getMessage(status);
        if (status >= 500 || message == null || message.isBlank() || message.length() > MAX_MESSAGE) {
            return reason;
        }
        StringBuilder out = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString().strip();
    }

    /** Jetty's error handler for the whole server, in place of its HTML pages. */
    static Request.Handler jettyHandler() {
        return PlainErrors::handle;
    }

    private static boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String message = request.getAttribute(ErrorHandler.ERROR_MESSAGE) instanceof String m ? m : null;
        if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException http) {
            status = http.getCode();
            response.setStatus(status);
            message = message == null ? http.getReason() : message;
        }
        if (HttpStatus.hasNoBody(status) || "HEAD".equals(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        byte[] body = text(status, message).getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
