package dev.latchkey.delivery.service;

import java.time.Instant;

/** What became of one attempt at an event; the messaging layer publishes it and settles the Kafka record. */
public sealed interface DeliveryOutcome {

    /** Handed to the provider. */
    record Sent(String provider, String providerId, Integer segments) implements DeliveryOutcome {
    }

    /** The code expired before it could be sent; nothing was sent. */
    record Expired(String reason) implements DeliveryOutcome {
    }

    /** The event was already handled under its id (a redelivery); nothing was sent this time. */
    record Duplicate(String previousState, String provider, String providerId) implements DeliveryOutcome {
    }

    /** A transient failure (or a sender over its rate): try again at {@code notBefore} as attempt {@code nextAttempt}. */
    record Retry(String reason, Instant notBefore, int nextAttempt, String provider) implements DeliveryOutcome {
    }

    /** Failed for good: the event goes to the dead-letter topic with the reason. */
    record Failed(String reason, String provider, Integer segments) implements DeliveryOutcome {
    }
}
