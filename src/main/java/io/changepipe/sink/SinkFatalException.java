package io.changepipe.sink;

/** A sink error no retry fixes (missing stream, access denied): the pipeline stops and its health says why. */
public class SinkFatalException extends RuntimeException {

    public SinkFatalException(String message, Throwable cause) {
        super(message, cause);
    }

    public SinkFatalException(String message) {
        super(message);
    }
}
