package io.annexgate.protocol;

/**
 * A malformed protocol value (key, uuid, wrapped text...). The message is the
 * plain-text body the server sends with a 400 response.
 */
public class InvalidValueException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidValueException(String message) {
        super(message);
    }

    public InvalidValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
