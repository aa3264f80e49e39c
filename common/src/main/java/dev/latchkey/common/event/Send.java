package dev.latchkey.common.event;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a start sends: Auth0's {@code send} of {@code /passwordless/start}, a delivery event's {@code send}. */
public enum Send {

    /** A one-time code to type. */
    CODE("code"),
    /** A magic link that carries the code (email only). */
    LINK("link");

    private final String wire;

    Send(String wire) {
        this.wire = wire;
    }

    /** The word on the wire: {@code code} or {@code link}. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** The value a wire word names (exactly, as Auth0 spells it), if any. */
    public static Optional<Send> of(String wire) {
        for (Send s : values()) {
            if (s.wire.equals(wire)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wire;
    }
}
