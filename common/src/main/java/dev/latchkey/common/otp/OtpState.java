package dev.latchkey.common.otp;

/**
 * The one definition of the OTP state in Redis, shared by otp-service (writes) and token-service (verifies). Every
 * key of one recipient carries the same hash tag, {@code {<connection>|<recipient>}}, so the Lua scripts that touch
 * them run on one Redis Cluster slot.
 *
 * <pre>
 * otp:{sms|+15551234567}:code   HASH, PEXPIRE = code TTL. Only the latest code of a recipient exists.
 *     hmac      base64url HMAC-SHA256 of the code (see {@link OtpHmac}); never the code itself
 *     client    client_id the code was issued to
 *     attempts  wrong guesses still allowed (starts at the connection's max_attempts)
 *     exp       expiry, epoch milliseconds
 *     id        delivery event id (the _id returned by /passwordless/start)
 *     params    authParams JSON given at start (scope, state, redirect_uri, response_type, nonce, audience)
 * otp:{sms|+15551234567}:fails  STRING counter of wrong guesses across codes, EXPIRE 1 h from the first; a new code
 *                               does not reset it (NIST 800-63B)
 * otp:{sms|+15551234567}:lock   STRING, set when fails reach the lock threshold; EXPIRE = rest of that hour
 * otp:{sms|+15551234567}:sends  rate-limit state of sends to this recipient (otp-service only)
 * </pre>
 */
public final class OtpState {

    public static final String FIELD_HMAC = "hmac";
    public static final String FIELD_CLIENT = "client";
    public static final String FIELD_ATTEMPTS = "attempts";
    public static final String FIELD_EXPIRES = "exp";
    public static final String FIELD_ID = "id";
    public static final String FIELD_PARAMS = "params";

    private OtpState() {
    }

    /** The Redis Cluster hash tag of a recipient on a connection. */
    public static String tag(String connection, String recipient) {
        return "{" + connection + "|" + recipient + "}";
    }

    public static String codeKey(String connection, String recipient) {
        return "otp:" + tag(connection, recipient) + ":code";
    }

    public static String failsKey(String connection, String recipient) {
        return "otp:" + tag(connection, recipient) + ":fails";
    }

    public static String lockKey(String connection, String recipient) {
        return "otp:" + tag(connection, recipient) + ":lock";
    }

    public static String sendsKey(String connection, String recipient) {
        return "otp:" + tag(connection, recipient) + ":sends";
    }
}
