package dev.latchkey.common.api;

/**
 * What the framework, not a service's own logic, refuses or fails on, with the sentence the caller reads. Each
 * service's {@link ErrorShape} turns one into its API's error body and code.
 */
public enum FrameworkError {

    NOT_FOUND(404, "Not found."), METHOD_NOT_ALLOWED(405, "Method not allowed."), NOT_ACCEPTABLE(406,
            "Not acceptable: this API answers application/json."), TOO_LARGE(413,
                    "The request is too large."), UNSUPPORTED_MEDIA_TYPE(415, "Unsupported content type."),
    /** A header the request cannot be understood without (Content-Type, Accept) does not parse. */
    MALFORMED_HEADER(400, "A request header could not be read."),
    /** The query string or path carries what no parameter may hold (a NUL byte, a broken percent escape). */
    MALFORMED_QUERY(400, "The request URL could not be read."),
    /** The body does not decode: bad percent-encoding, invalid or too deeply nested JSON, bad UTF-8. */
    MALFORMED_BODY(400, "The request body could not be read."),
    /** Any other 4xx the framework raised. */
    BAD_REQUEST(400, "The request could not be read."),
    /** The one 500 text: it names nothing about the failure. */
    SERVER_ERROR(500, "The server could not handle the request.");

    public final int status;
    public final String description;

    FrameworkError(int status, String description) {
        this.status = status;
        this.description = description;
    }

    /** The kind for a status the framework raised on its own (a {@code WebApplicationException}). */
    public static FrameworkError of(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 500 ? SERVER_ERROR : BAD_REQUEST;
        };
    }
}
