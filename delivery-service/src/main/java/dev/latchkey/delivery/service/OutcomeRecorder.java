package dev.latchkey.delivery.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

import dev.latchkey.delivery.config.DeliveryConfig;
import dev.latchkey.delivery.service.DeliveryOutcome.Duplicate;
import dev.latchkey.delivery.service.DeliveryOutcome.Expired;
import dev.latchkey.delivery.service.DeliveryOutcome.Failed;
import dev.latchkey.delivery.service.DeliveryOutcome.Revoked;
import dev.latchkey.delivery.store.DeliveryLedger;
import dev.latchkey.delivery.store.DeliveryLedger.Claim;
import dev.latchkey.delivery.store.DeliveryLedger.Claiming;
import dev.latchkey.delivery.store.DeliveryLedger.Record;
import dev.latchkey.delivery.store.DeliveryLedger.State;

/**
 * Records how an attempt ended in the ledger and answers the outcome that follows: the end of a claimed call (written
 * only while the record is still {@code calling}), or a terminal claim without a call (expired, failed).
 */
@ApplicationScoped
public class OutcomeRecorder {

    private static final Logger LOG = Logger.getLogger(OutcomeRecorder.class);
    /** A code with less than this left is not worth sending. */
    static final Duration MIN_REMAINING = Duration.ofSeconds(1);

    private final DeliveryLedger ledger;
    private final DeliveryConfig config;
    private final Clock clock;

    public OutcomeRecorder(DeliveryLedger ledger, DeliveryConfig config, Clock clock) {
        this.ledger = ledger;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Ends this attempt's claim in {@code state} with {@code fields}: {@code outcome} when recorded; a duplicate when a
     * provider receipt (Twilio's status callback) had recorded the message sent while the attempt was in its call
     * (the receipt already published {@code sent}). So a call whose answer was lost after the provider took the
     * message is not retried into a second message once the provider has said so.
     */
    Uni<DeliveryOutcome> finish(Attempt a, State state, Map<String, String> fields, DeliveryOutcome outcome) {
        Instant now = clock.instant();
        return ifStillCalling(a, ledger.finish(a.eventId(), state, fields, now, ttl(a, now)), outcome);
    }

    Uni<DeliveryOutcome> finishFailed(Attempt a, String provider, Integer segments, String reason) {
        Map<String, String> fields = new HashMap<>();
        fields.put("reason", reason);
        if (provider != null) {
            fields.put("provider", provider);
        }
        return finish(a, State.FAILED, fields, new Failed(reason, provider, segments));
    }

    private static Uni<DeliveryOutcome> ifStillCalling(Attempt a, Uni<Optional<Record>> finished,
            DeliveryOutcome outcome) {
        return finished.map(settled -> {
            if (settled.isEmpty()) {
                return outcome;
            }
            Record r = settled.get();
            LOG.infof("event %s: recorded %s by the provider's receipt during this attempt's call; this attempt"
                    + " ends as a duplicate", a.eventId(), r.state());
            return duplicate(r);
        });
    }

    /** Ends the event as expired (nothing sent), unless the ledger says it was handled already. */
    public Uni<DeliveryOutcome> expire(Attempt a) {
        Instant now = clock.instant();
        String reason = "code expired at " + a.event().expiresAt();
        return ledger.claim(a.subject(), a.number(), Claiming.end(State.EXPIRED, reason, null), now, ttl(a, now))
                .map(claim -> terminal(claim, new Expired(reason)));
    }

    /** Ends the event as revoked (nothing sent), unless the ledger says it was handled already. */
    public Uni<DeliveryOutcome> revoke(Attempt a, String reason) {
        Instant now = clock.instant();
        return ledger.claim(a.subject(), a.number(), Claiming.end(State.REVOKED, reason, null), now, ttl(a, now))
                .map(claim -> terminal(claim, new Revoked(reason)));
    }

    /** Ends the event as failed without a provider call, unless the ledger says it was handled already. */
    public Uni<DeliveryOutcome> fail(Attempt a, String reason, String provider, Integer segments) {
        Instant now = clock.instant();
        return ledger.claim(a.subject(), a.number(), Claiming.end(State.FAILED, reason, provider), now,
                ttl(a, now)).map(claim -> terminal(claim, new Failed(reason, provider, segments)));
    }

    private static DeliveryOutcome terminal(Claim claim, DeliveryOutcome outcome) {
        return claim.won() ? outcome : duplicate(claim.existing().orElseThrow());
    }

    static Duplicate duplicate(Record r) {
        return new Duplicate(r.fields().get("state"), emptyToNull(r.get("provider")),
                emptyToNull(r.get("provider_id")));
    }

    static boolean expiredAt(Attempt a, Instant now) {
        return !now.plus(MIN_REMAINING).isBefore(a.event().expiresAt());
    }

    Duration ttl(Attempt a, Instant now) {
        Duration remaining = Duration.between(now, a.event().expiresAt());
        return (remaining.isNegative() ? Duration.ZERO : remaining).plus(config.ledger().retentionAfterExpiry());
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? "unexpected error" : m;
    }
}
