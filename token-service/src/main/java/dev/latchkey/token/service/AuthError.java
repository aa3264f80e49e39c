package dev.latchkey.token.service;

import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.event.Channel;

/**
 * A refusal in Auth0's words: HTTP status, {@code error} code and {@code error_description}. Carries no secret and no
 * stack trace to the caller (the API maps it to {@code {"error","error_description"}}).
 */
public class AuthError extends RuntimeException {

    private final int status;
    private final String error;
    private final long retryAfterSeconds;

    public AuthError(int status, String error, String description) {
        this(status, error, description, 0);
    }

    public AuthError(int status, String error, String description, long retryAfterSeconds) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }

    /** For 429: seconds until trying again makes sense; 0 when not applicable. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static AuthError invalidRequest(String description) {
        return new AuthError(400, "invalid_request", description);
    }

    public static AuthError invalidClient() {
        return new AuthError(401, "invalid_client", "Client authentication failed.");
    }

    public static AuthError unauthorizedClient(String grantType) {
        return new AuthError(403, "unauthorized_client", "Grant type '" + grantType + "' not allowed for the client.");
    }

    public static AuthError invalidGrant(String description) {
        return new AuthError(403, "invalid_grant", description);
    }

    /**
     * A wrong one-time code, and what a login to an unknown recipient is refused with when signup is disabled:
     * "Wrong phone number or ..." / "Wrong email or ...".
     */
    public static AuthError wrongCode(ConnectionConfig connection) {
        return invalidGrant(connection.channel() == Channel.SMS
                ? "Wrong phone number or verification code."
                : "Wrong email or verification code.");
    }

    public static AuthError accessDenied(String description) {
        return new AuthError(403, "access_denied", description);
    }

    public static AuthError blocked() {
        return new AuthError(401, "unauthorized", "user is blocked");
    }

    public static AuthError unavailable(String description) {
        return new AuthError(503, "temporarily_unavailable", description);
    }
}
