package io.annexgate.web;

/** A request the API cannot parse: 400 with the message as a plain-text body. */
class BadRequest extends RuntimeException {

    BadRequest(String message) {
        super(message);
    }
}
