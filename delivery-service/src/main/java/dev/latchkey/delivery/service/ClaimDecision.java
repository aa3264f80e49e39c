package dev.latchkey.delivery.service;

import java.time.Duration;
import java.time.Instant;

import dev.latchkey.delivery.store.DeliveryLedger.Record;
import dev.latchkey.delivery.store.DeliveryLedger.State;

/**
 * What an attempt does when it could not claim its event because the ledger already has a record of it. Pure (the
 * table-driven {@code ClaimDecisionTest} covers it).
 */
public sealed interface ClaimDecision {

    /** Handled already (sent, failed, expired, or a later attempt's): nothing to send. */
    record Duplicate(Record record) implements ClaimDecision {
    }

    /**
     * Another attempt holds the claim and may be calling the provider right now (the record was redelivered while it
     * ran, e.g. after a rebalance) or may have died in the call (its process was killed): look again at {@code at}.
     */
    record Recheck(Instant at) implements ClaimDecision {
    }

    /**
     * The claim outlived the call timeout: its attempt died in the provider call and nothing recorded whether the
     * message went.
     */
    record OutcomeUnknown(Record record) implements ClaimDecision {
    }

    /**
     * @param callTimeout how long a claim may stay {@code calling} before its attempt counts as dead
     * @param firstRecheck the shortest wait before looking again
     */
    static ClaimDecision of(Record existing, Instant now, Duration callTimeout, Duration firstRecheck) {
        if (existing.state() != State.CALLING) {
            return new Duplicate(existing);
        }
        Instant deadline = existing.at().plus(callTimeout);
        if (deadline.isBefore(now)) {
            return new OutcomeUnknown(existing);
        }
        // Sooner while the claim is young: a live call has ended by then and recorded its outcome; a dead one is
        // settled by the provider's receipt or, at the deadline, decided above. Acknowledging this copy as a
        // duplicate instead would lose the event without a trace if the other attempt is dead.
        Duration age = Duration.between(existing.at(), now);
        Instant recheck = now.plus(age.compareTo(firstRecheck) > 0 ? age : firstRecheck);
        return new Recheck(recheck.isAfter(deadline) ? deadline.plusMillis(1) : recheck);
    }
}
