package dev.latchkey.common.api;

/**
 * The request cannot be read (a header, the URL or the body does not decode): the caller's fault, answered 400 by
 * {@link FrameworkErrorMapper} in the service's shape. The message is for the caller and names no Java type.
 */
public class MalformedRequestException extends RuntimeException {

    private final FrameworkError error;

    public MalformedRequestException(FrameworkError error, String message, Throwable cause) {
        super(message, cause, false, false);
        this.error = error;
    }

    public MalformedRequestException(FrameworkError error, String message) {
        this(error, message, null);
    }

    public FrameworkError error() {
        return error;
    }
}
