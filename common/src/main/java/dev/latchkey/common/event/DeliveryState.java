package dev.latchkey.common.event;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The wire values of {@link DeliveryStatus#status()} on {@code otp.delivery.status}, lower-case on the wire
 * ({@code failed_over}). Readers compare these, never the strings.
 */
public enum DeliveryState {

    /** Accepted by delivery-service, not yet tried. */
    QUEUED,
    /** A route step is calling its provider. */
    SENDING,
    /** The provider took the message ({@code provider_id} says under which id). */
    SENT,
    /** The provider's receipt says the handset (or mailbox) got it. */
    DELIVERED,
    /** The provider's receipt says it did not arrive. */
    UNDELIVERED,
    /** One route step gave up and the next takes over ({@code reason} names both). */
    FAILED_OVER,
    /** A transient failure: tried again later ({@code attempt} is the next attempt). */
    RETRYING,
    /** The code expired before it could be sent; nothing more is sent. */
    EXPIRED,
    /**
     * The code was no longer the recipient's current one when its turn came (its start answered 503 and took it
     * back, a newer code replaced it, or it was used): nothing is sent, and this is not an error.
     */
    REVOKED,
    /** Failed for good ({@code reason}). */
    FAILED,
    /** The event was put on the dead-letter topic. */
    DEAD_LETTERED,
    /** A redelivered event, already handled under its id; nothing was sent this time. */
    DUPLICATE;

    private final String wire = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String wire() {
        return wire;
    }

    /** The state of a wire value; {@code null} for an unknown one (a newer producer's), so old readers skip it. */
    @JsonCreator
    public static DeliveryState of(String wire) {
        if (wire == null) {
            return null;
        }
        for (DeliveryState s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return wire;
    }
}
