package io.annexgate.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The servlet container's error page (an error status sent or an exception thrown outside the
 * controllers, e.g. in a filter): answered as {@link PlainErrors} answers Jetty's own errors, in
 * place of Spring Boot's JSON or HTML error page. A direct request for this path is a 404 like any
 * other path outside the API.
 */
@Controller
class ErrorDispatchController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer status)) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE) instanceof String m ? m : null;
        byte[] body = PlainErrors.text(status, message).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        if (response.isCommitted()) {
            return;
        }
        response.setContentType(PlainErrors.CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
