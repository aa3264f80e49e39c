package dev.latchkey.delivery.store;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.redis.LuaScript;
import dev.latchkey.common.redis.ScriptRunner;

/**
 * A messages-per-second limit per sender, shared by every instance because its state lives in Redis (one key per
 * sender, {@code delivery:rate:<sender>}). It is a generic cell rate algorithm: the key holds the theoretical arrival
 * time of the next message; a reservation takes the next free slot and says how long to wait for it. Time comes from
 * the Redis server, so instances with skewed clocks still agree. Up to one second's worth of messages may go in a
 * burst.
 */
@ApplicationScoped
public class SenderRateLimiter {

    /**
     * {@code lua/reserve.lua} holds the reservation as a Lua function, shared with {@link DeliveryLedger}'s claim that
     * reserves a slot in the same round trip: it returns {@code -1, wait} (nothing reserved, the slot is further than
     * {@code max_wait} away) or {@code 0, wait} (reserved; send after {@code wait} microseconds).
     */
    private static final LuaScript RESERVE = LuaScript.load("reserve.lua", "reserve-slot.lua");

    private final ScriptRunner scripts;

    public SenderRateLimiter(ScriptRunner scripts) {
        this.scripts = scripts;
    }

    /**
     * @param granted whether a slot was taken; when false nothing was reserved
     * @param delay how long to wait before sending (granted), or until a slot might be free (not granted)
     */
    public record Reservation(boolean granted, Duration delay) {
    }

    /** Reserves the sender's next slot if it comes within the slot's longest wait (see {@link #slot}). */
    public Uni<Reservation> reserve(Slot slot) {
        return scripts.run(RESERVE.call(List.of(slot.key()), slot.arguments()))
                .map(r -> reservation(r.get(0).toLong(), r.get(1).toLong()));
    }

    /**
     * What a script needs to reserve a slot of {@code sender}; {@code perSecond} must be positive.
     *
     * @see DeliveryLedger#claimWithinRate
     */
    public static Slot slot(String sender, int perSecond, Duration maxWait) {
        long intervalMicros = Math.max(1, 1_000_000L / perSecond);
        return new Slot("delivery:rate:" + sender, intervalMicros, perSecond, maxWait.toNanos() / 1000);
    }

    /** A sender's rate-limit key and the reservation's parameters (interval and longest wait in microseconds). */
    public record Slot(String key, long intervalMicros, int burst, long maxWaitMicros) {

        List<String> arguments() {
            return List.of(Long.toString(intervalMicros), Integer.toString(burst), Long.toString(maxWaitMicros));
        }
    }

    static Reservation reservation(long granted, long waitMicros) {
        return new Reservation(granted == 0, Duration.ofNanos(waitMicros * 1000));
    }
}
