package dev.latchkey.admin.service;

/**
 * A refusal the Management API reports to its caller as {@code {"statusCode","error","message","errorCode"}}. The
 * message is written for the caller and never carries a secret.
 */
public class ManagementException extends RuntimeException {

    /** What kind of refusal, mapped to an HTTP status by the API layer. */
    public enum Kind {

        INVALID(400), UNAUTHORIZED(401), FORBIDDEN(403), NOT_FOUND(404), CONFLICT(409), UNAVAILABLE(503);

        public final int status;

        Kind(int status) {
            this.status = status;
        }
    }

    private final Kind kind;
    private final String errorCode;

    public ManagementException(Kind kind, String errorCode, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.errorCode = errorCode;
    }

    public Kind kind() {
        return kind;
    }

    public String errorCode() {
        return errorCode;
    }

    /** A payload that fails validation (Auth0: {@code invalid_body}). */
    public static ManagementException invalidBody(String message) {
        return new ManagementException(Kind.INVALID, "invalid_body", "Payload validation error: " + message);
    }

    public static ManagementException invalidQuery(String message) {
        return new ManagementException(Kind.INVALID, "invalid_query_string", "Query validation error: " + message);
    }

    public static ManagementException notFound(String errorCode, String message) {
        return new ManagementException(Kind.NOT_FOUND, errorCode, message);
    }

    public static ManagementException conflict(String errorCode, String message) {
        return new ManagementException(Kind.CONFLICT, errorCode, message);
    }
}
