package dev.latchkey.otp.service;

import java.time.Duration;

/**
 * Why a start was refused, in Auth0's vocabulary ({@link Reason#code()} is the {@code error} of the response). The
 * description is shown to the caller as {@code error_description}: it never carries a code, a secret or an internal
 * detail.
 */
public class StartFailure extends RuntimeException {

    public enum Reason {

        BAD_REQUEST("bad.request"), BAD_CLIENT_ID("bad.client_id"), BAD_CONNECTION("bad.connection"), BAD_PHONE_NUMBER(
                "bad.phone_number"), BAD_EMAIL("bad.email"), BAD_SEND("bad.send"), BAD_AUTH_PARAMS("bad.authParams"),
        /** A confidential client sent no client_secret. */
        CLIENT_AUTHENTICATION_REQUIRED("unauthorized_client"),
        /** The client_secret is wrong. */
        WRONG_CLIENT_SECRET("access_denied"), TOO_MANY_REQUESTS("too_many_requests"),
        /** The recipient is locked after too many wrong codes. */
        TOO_MANY_ATTEMPTS("too_many_attempts"),
        /** Redis or Kafka did not answer; nothing was left behind. */
        UNAVAILABLE("temporarily_unavailable"),
        /** The request body is larger than the service reads. */
        TOO_LARGE("bad.request"),
        /** The body is not JSON. */
        UNSUPPORTED_MEDIA_TYPE("bad.request"),
        /** A cross-origin request from an origin the client does not list in {@code allowed_origins}. */
        ORIGIN_NOT_ALLOWED("access_denied");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;
    private final Duration retryAfter;

    public StartFailure(Reason reason, String description) {
        this(reason, description, null, null);
    }

    public StartFailure(Reason reason, String description, Duration retryAfter, Throwable cause) {
        super(description, cause, false, false);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public Reason reason() {
        return reason;
    }

    /** For the two "too many" reasons: when the caller may try again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
