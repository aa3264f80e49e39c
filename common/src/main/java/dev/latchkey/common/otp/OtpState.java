package dev.latchkey.common.otp;

/**
 * The one definition of the OTP state in Redis, shared by otp-service (writes), token-service (verifies) and
 * delivery-service (sends an event only while the code hash's {@code id} is the event's id). Every
 * key of one recipient carries the same hash tag, {@code {<connection>|<recipient>}}, so the Lua scripts that touch
 * them run on one Redis Cluster slot.
 *
 * <pre>
 * otp:{sms|+15551234567}:code   HASH, PEXPIRE = code TTL. Only the latest code of a recipient exists.
 *     hmac      base64url HMAC-SHA256 of the code (see {@link OtpHmac}); never the code itself
 *     client    client_id the code was issued to
 *     attempts  wrong guesses still allowed (starts at the connection's max_attempts)
 *     exp       expiry, epoch milliseconds
 *     id        delivery event id (the _id returned by /passwordless/start); delivery-service drops an event whose
 *               id is not the one here (the code was taken back, replaced or used)
 *     params    authParams JSON given at start (scope, state, redirect_uri, response_type, nonce, audience)
 * otp:{sms|+15551234567}:fails  STRING counter of wrong guesses across codes, EXPIRE 1 h from the first; a new code
 *                               does not reset it (NIST 800-63B)
 * otp:{sms|+15551234567}:lock   STRING, set when fails reach the lock threshold; EXPIRE = rest of that hour
 * otp:{sms|+15551234567}:sends  rate-limit state of sends to this recipient (otp-service only): ZSET of
 *                               delivery event ids scored by send time (ms)
 * otp:{sms|+15551234567}:prev   the code hash a start replaced, with that code's own TTL (otp-service only): put back
 *                               when the start fails after writing (Kafka down, another limit hit), so a failed start
 *                               never invalidates the code the user already has
 * otp:{sms|+15551234567}:blocked STRING, present while the user of this connection and recipient is blocked; set and
 *                               cleared by token-service (which owns users). otp-service answers such a start exactly
 *                               as any other (no enumeration) but writes no code and sends nothing
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

    public static String previousKey(String connection, String recipient) {
        return "otp:" + tag(connection, recipient) + ":prev";
    }

    public static String blockedKey(String connection, String recipient) {
        return "otp:" + tag(connection, recipient) + ":blocked";
    }
}
