package dev.latchkey.otp.store;

/**
 * What one start writes for a recipient, and who is asking (for the shared limits).
 *
 * @param eventId the delivery event id, also the {@code _id} returned; names this start in the sends log
 * @param hmac the code's HMAC ({@link dev.latchkey.common.otp.OtpHmac}); the code itself never reaches Redis
 * @param attempts wrong guesses the code allows
 * @param nowMs the start's time, epoch ms (from the injected clock)
 * @param ttlMs the code's lifetime
 * @param paramsJson authParams as JSON, for the verify / redirect step
 * @param ip the caller's IP address, for the per-IP limit
 */
public record CodeRecord(
        String eventId,
        String clientId,
        String connection,
        String recipient,
        String hmac,
        int attempts,
        long nowMs,
        long ttlMs,
        String paramsJson,
        String ip) {

    public long expiresAtMs() {
        return nowMs + ttlMs;
    }
}
