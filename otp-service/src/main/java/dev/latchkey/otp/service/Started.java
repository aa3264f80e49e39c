package dev.latchkey.otp.service;

import dev.latchkey.common.event.Channel;

/**
 * A start that was accepted: the event id (returned as {@code _id}) and the normalised recipient.
 *
 * @param channel {@code sms} or {@code email}
 */
public record Started(String eventId, Channel channel, String recipient) {
}
