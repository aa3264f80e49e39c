package dev.latchkey.otp.service;

/**
 * A start that was accepted: the event id (returned as {@code _id}) and the normalised recipient.
 *
 * @param channel {@code sms} or {@code email}
 */
public record Started(String eventId, String channel, String recipient) {
}
