package dev.latchkey.delivery.store;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.otp.OtpState;

/**
 * Whether the code an event carries is still the one otp-service holds for its recipient: the code hash
 * ({@link OtpState#codeKey}) in the same Redis, whose {@code id} field is the event id of the start that wrote it. A
 * start that answered 503 takes its code back (the hash is deleted, or the previous code put back), a newer start
 * replaces it, a verify consumes it: in each case the event's code no longer works, and sending it would only give
 * the person a code that fails. One read of one field, on the recipient's hash slot.
 */
@ApplicationScoped
public class IssuedCodes {

    /** Whether the event's code is current, and if not, why. */
    public enum Verdict {
        CURRENT, GONE, REPLACED
    }

    private final ReactiveHashCommands<String, String, String> hashes;

    public IssuedCodes(ReactiveRedisDataSource redis) {
        this.hashes = redis.hash(String.class);
    }

    public Uni<Verdict> check(DeliveryEvent event) {
        return hashes.hget(OtpState.codeKey(event.connection(), event.recipient()), OtpState.FIELD_ID)
                .map(id -> id == null
                        ? Verdict.GONE
                        : id.equals(event.eventId()) ? Verdict.CURRENT : Verdict.REPLACED);
    }
}
