package dev.latchkey.delivery.service;

import java.time.Instant;

import dev.latchkey.common.event.DeliveryState;

/**
 * What became of one attempt at an event, or what a provider's receipt said about it; the messaging layer publishes
 * every one the same way (status event, and the retry or dead-letter record where it needs one).
 */
public sealed interface DeliveryOutcome {

    /** Handed to the provider. */
    record Sent(String provider, String providerId, Integer segments) implements DeliveryOutcome {
    }

    /** The code expired before it could be sent; nothing was sent. */
    record Expired(String reason) implements DeliveryOutcome {
    }

    /** The event's code is no longer the recipient's current one ({@code reason} says why); nothing was sent. */
    record Revoked(String reason) implements DeliveryOutcome {
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

    /** What a provider's receipt (status callback) said after the attempt: {@code delivered}, {@code sent}, ... */
    record Receipt(DeliveryState state, String provider, String providerId, String reason)
            implements
                DeliveryOutcome {
    }

    /**
     * Step {@code fromStep} failed ({@code reason}) and the route's step {@code toStep} took over at once; what became
     * of that is {@code then}.
     */
    record FailedOver(String fromProvider, int fromStep, String toProvider, int toStep, String reason,
            DeliveryOutcome then) implements DeliveryOutcome {
    }

    /** The state a status event of this outcome carries. */
    default DeliveryState state() {
        return switch (this) {
            case Sent s -> DeliveryState.SENT;
            case Expired x -> DeliveryState.EXPIRED;
            case Revoked v -> DeliveryState.REVOKED;
            case Duplicate d -> DeliveryState.DUPLICATE;
            case Retry r -> DeliveryState.RETRYING;
            case Failed f -> DeliveryState.FAILED;
            case Receipt r -> r.state();
            case FailedOver f -> DeliveryState.FAILED_OVER;
        };
    }

    /** The provider the outcome is about, or {@code null}. */
    default String provider() {
        return switch (this) {
            case Sent s -> s.provider();
            case Expired x -> null;
            case Revoked v -> null;
            case Duplicate d -> d.provider();
            case Retry r -> r.provider();
            case Failed f -> f.provider();
            case Receipt r -> r.provider();
            case FailedOver f -> f.fromProvider();
        };
    }
}
