package dev.latchkey.delivery.service;

import java.time.Instant;

import dev.latchkey.delivery.store.DeliveryLedger.Subject;

/**
 * An outcome to publish, with the event it is about.
 *
 * @param attempt the attempt that had the outcome
 * @param issuedAt when the code was issued (for the delivery latency), or {@code null}
 */
public record Report(Subject subject, int attempt, Instant issuedAt, DeliveryOutcome outcome) {

    public static Report of(Attempt a, DeliveryOutcome outcome) {
        return new Report(a.subject(), a.number(), a.event().issuedAt(), outcome);
    }
}
