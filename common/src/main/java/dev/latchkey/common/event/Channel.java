package dev.latchkey.common.event;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a code travels: a connection's {@code strategy}, a delivery event's {@code channel}. */
public enum Channel {

    SMS("sms"), EMAIL("email");

    private final String wire;

    Channel(String wire) {
        this.wire = wire;
    }

    /** The word on the wire and in the config: {@code sms} or {@code email}. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** The channel a wire word names (exactly, as Auth0 spells it), if any. */
    public static Optional<Channel> of(String wire) {
        for (Channel c : values()) {
            if (c.wire.equals(wire)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wire;
    }
}
