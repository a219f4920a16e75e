package io.annexgate.config;

/**
 * Something the operator must fix before the server can start (the wrong directory, a certificate
 * that cannot be read, a flag that makes no sense). Its message is the whole explanation: it is
 * printed as one line, without a stack trace (see {@link OneLineFailureReporter}).
 */
public final class StartupFailure extends RuntimeException {

    public StartupFailure(String message) {
        super(message);
    }

    public StartupFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
