package dev.latchkey.delivery.service;

import io.opentelemetry.context.Context;

import dev.latchkey.common.event.Channel;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.delivery.store.DeliveryLedger.Subject;

/**
 * One attempt at one delivery event: what every step of the dispatch needs to know about it.
 *
 * @param channel the channel of the topic the event came from ({@code sms} or {@code email})
 * @param number 1 for the first attempt
 * @param trace the trace this attempt belongs to (the consumed record's); the provider call is a span of it
 */
public record Attempt(DeliveryEvent event, Channel channel, int number, Context trace) {

    public Subject subject() {
        return new Subject(event.eventId(), event.clientId(), event.connection(), channel);
    }

    public String eventId() {
        return event.eventId();
    }
}
