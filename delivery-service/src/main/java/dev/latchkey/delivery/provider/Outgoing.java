package dev.latchkey.delivery.provider;

import java.time.Instant;

import dev.latchkey.common.event.Channel;

/**
 * One rendered message for one recipient, as every provider takes it. {@code subject} and {@code html} are null for
 * SMS. {@code text} carries the code: it is never logged, and a provider's error message never repeats it.
 *
 * @param eventId the delivery event's id, the idempotency key a provider may be given (Message-ID, client reference)
 * @param expiresAt when the code expires (a provider's validity period)
 * @param segments SMS segments of {@code text}
 */
public record Outgoing(String eventId, Channel channel, String recipient, String subject, String text, String html,
        String language, Instant expiresAt, int segments) {

    @Override
    public String toString() {
        return "Outgoing[" + eventId + ", " + channel + "]";
    }
}
