package dev.latchkey.delivery.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.delivery.config.DeliveryConfig;
import dev.latchkey.delivery.provider.Outgoing;
import dev.latchkey.delivery.provider.Provider;
import dev.latchkey.delivery.provider.ProviderException;
import dev.latchkey.delivery.provider.Step;
import dev.latchkey.delivery.service.DeliveryOutcome.Duplicate;
import dev.latchkey.delivery.service.DeliveryOutcome.Expired;
import dev.latchkey.delivery.service.DeliveryOutcome.Failed;
import dev.latchkey.delivery.service.DeliveryOutcome.Retry;
import dev.latchkey.delivery.service.DeliveryOutcome.Sent;
import dev.latchkey.delivery.store.DeliveryLedger;
import dev.latchkey.delivery.store.DeliveryLedger.Claim;
import dev.latchkey.delivery.store.DeliveryLedger.Claiming;
import dev.latchkey.delivery.store.DeliveryLedger.Record;
import dev.latchkey.delivery.store.DeliveryLedger.State;
import dev.latchkey.delivery.store.SenderRateLimiter;

/**
 * Sends one rendered message through one route step: respects the step's sender rate, claims the event in the ledger,
 * calls the provider once, records the result. The provider is called only by the attempt that claimed the event, so
 * an event id is sent at most once per claim; every path ends in a {@link DeliveryOutcome}.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    /** A code with less than this left is not worth sending. */
    static final Duration MIN_REMAINING = Duration.ofSeconds(1);

    private final DeliveryLedger ledger;
    private final DeliveryConfig config;
    private final Backoff backoff;
    private final RetryPolicy retries;
    private final Clock clock;
    private final Tracer tracer;

    public Dispatcher(DeliveryLedger ledger, DeliveryConfig config, Clock clock, Tracer tracer) {
        this.ledger = ledger;
        this.config = config;
        this.backoff = new Backoff(config.retry().initialBackoff(), config.retry().maxBackoff());
        this.retries = new RetryPolicy(config.retry().maxAttempts(), MIN_REMAINING);
        this.clock = clock;
        this.tracer = tracer;
    }

    Backoff backoff() {
        return backoff;
    }

    /** Sends {@code message} through {@code step}, within the step's sender rate. */
    public Uni<DeliveryOutcome> dispatch(Attempt a, Step step, Provider provider, Outgoing message) {
        Provider.RateLimit rate = provider.rateLimit(step);
        if (rate == null) {
            return callOnce(a, step, provider, message);
        }
        Instant now = clock.instant();
        if (expiredAt(a, now)) {
            return expire(a);
        }
        SenderRateLimiter.Slot slot = SenderRateLimiter.slot(rate.key(), rate.perSecond(),
                config.twilio().maxThrottleWait());
        return ledger.claimWithinRate(a.subject(), a.number(), Claiming.call(provider.name(), step.index()), now,
                recordTtl(a, now), slot).chain(rated -> {
                    if (rated.claim().isPresent()) {
                        Claim claim = rated.claim().get();
                        return claim.won()
                                ? call(a, step, provider, message)
                                : alreadyHandled(a, claim.existing().orElseThrow());
                    }
                    SenderRateLimiter.Reservation reservation = rated.reservation();
                    if (!reservation.granted()) {
                        // Parked, not failed: the attempt number stays, the code's expiry bounds the wait.
                        return Uni.createFrom()
                                .item(new Retry(
                                        "sender " + rate.sender() + " is at its limit of " + rate.perSecond()
                                                + " messages/s",
                                        clock.instant().plus(reservation.delay()), a.number(), provider.name()));
                    }
                    // A slot later than now: wait for it, then claim (the code may expire meanwhile).
                    return Uni.createFrom().voidItem().onItem().delayIt().by(reservation.delay())
                            .chain(() -> callOnce(a, step, provider, message));
                });
    }

    /** Claims the event and, if this attempt owns it, calls the provider exactly once. */
    private Uni<DeliveryOutcome> callOnce(Attempt a, Step step, Provider provider, Outgoing message) {
        Instant now = clock.instant();
        if (expiredAt(a, now)) {
            return expire(a);
        }
        return ledger.claim(a.subject(), a.number(), Claiming.call(provider.name(), step.index()), now,
                recordTtl(a, now))
                .chain(claim -> claim.won()
                        ? call(a, step, provider, message)
                        : alreadyHandled(a, claim.existing().orElseThrow()));
    }

    private Uni<DeliveryOutcome> call(Attempt a, Step step, Provider provider, Outgoing message) {
        Integer segments = ConnectionConfig.SMS.equals(a.channel()) ? message.segments() : null;
        Span span = tracer.spanBuilder(provider.name() + " send").setParent(a.trace()).setSpanKind(SpanKind.CLIENT)
                .setAttribute("latchkey.provider", provider.name())
                .setAttribute("latchkey.channel", a.channel())
                .setAttribute("latchkey.event_id", a.eventId())
                .setAttribute("latchkey.attempt", a.number())
                .startSpan();
        Uni<String> sending;
        try (Scope ignored = span.makeCurrent()) {
            sending = provider.send(step, message);
        } catch (RuntimeException e) {
            sending = Uni.createFrom().failure(e);
        }
        return sending.onItemOrFailure().invoke((providerId, failure) -> {
            if (failure != null) {
                span.setStatus(StatusCode.ERROR, failure.getMessage());
            }
            span.end();
        }).onItemOrFailure().transformToUni((providerId, failure) -> {
            Instant now = clock.instant();
            if (failure == null) {
                Map<String, String> fields = new HashMap<>();
                fields.put("provider", provider.name());
                fields.put("provider_id", providerId);
                if (segments != null) {
                    fields.put("segments", segments.toString());
                }
                DeliveryOutcome sent = new Sent(provider.name(), providerId, segments);
                return ifStillCalling(a, ledger.finish(a.eventId(), State.SENT, fields, now, recordTtl(a, now)), sent)
                        // It went out: the record stays "calling", which also keeps a redelivery from resending.
                        .onFailure().recoverWithItem(e -> {
                            LOG.warnf("event %s sent but its record not updated: %s", a.eventId(), describe(e));
                            return sent;
                        });
            }
            ProviderException pe = failure instanceof ProviderException p
                    ? p
                    : new ProviderException("unexpected failure calling " + provider.name() + ": "
                            + describe(failure), true);
            return afterFailure(a, provider.name(), segments, pe, now);
        });
    }

    private Uni<DeliveryOutcome> afterFailure(Attempt a, String provider, Integer segments, ProviderException failure,
            Instant now) {
        return switch (retries.after(failure, a.number(), now, a.event().expiresAt(), backoff.after(a.number()))) {
            case RetryPolicy.GiveUp g -> finishFailed(a, provider, segments, g.reason(), now);
            case RetryPolicy.TryAgain t -> ifStillCalling(a, ledger.finish(a.eventId(), State.RETRYING,
                    Map.of("provider", provider, "reason", failure.getMessage()), now, recordTtl(a, now)),
                    new Retry(failure.getMessage(), t.notBefore(), a.number() + 1, provider));
        };
    }

    private Uni<DeliveryOutcome> finishFailed(Attempt a, String provider, Integer segments, String reason,
            Instant now) {
        Map<String, String> fields = new HashMap<>();
        fields.put("reason", reason);
        if (provider != null) {
            fields.put("provider", provider);
        }
        return ifStillCalling(a, ledger.finish(a.eventId(), State.FAILED, fields, now, recordTtl(a, now)),
                new Failed(reason, provider, segments));
    }

    /**
     * {@code outcome} when the attempt's end was recorded; a duplicate when a provider receipt (Twilio's status
     * callback) had recorded the message sent while the attempt was in its call (the receipt already published
     * {@code sent}). So a call whose answer was lost after the provider took the message is not retried into a
     * second message once the provider has said so.
     */
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

    private Uni<DeliveryOutcome> alreadyHandled(Attempt a, Record record) {
        Instant now = clock.instant();
        return switch (ClaimDecision.of(record, now, config.ledger().callTimeout(), config.retry().initialBackoff())) {
            case ClaimDecision.Duplicate d -> Uni.createFrom().item(duplicate(d.record()));
            // No receipt said the message exists: it may or may not have gone. Not sent again; the DLQ says so.
            case ClaimDecision.OutcomeUnknown u -> finishFailed(a, emptyToNull(u.record().get("provider")), null,
                    "an earlier attempt stopped during the provider call; outcome unknown, not sent again", now);
            case ClaimDecision.Recheck r -> Uni.createFrom().item(new Retry("another attempt is calling the provider"
                    + " (claimed at " + record.at() + "); looking again", r.at(), a.number(),
                    emptyToNull(record.get("provider"))));
        };
    }

    /** Ends the event as expired (nothing sent), unless the ledger says it was handled already. */
    public Uni<DeliveryOutcome> expire(Attempt a) {
        Instant now = clock.instant();
        String reason = "code expired at " + a.event().expiresAt();
        return ledger.claim(a.subject(), a.number(), Claiming.end(State.EXPIRED, reason, null), now, recordTtl(a, now))
                .map(claim -> terminal(claim, new Expired(reason)));
    }

    /** Ends the event as failed without a provider call, unless the ledger says it was handled already. */
    public Uni<DeliveryOutcome> fail(Attempt a, String reason, String provider, Integer segments) {
        Instant now = clock.instant();
        return ledger.claim(a.subject(), a.number(), Claiming.end(State.FAILED, reason, provider), now,
                recordTtl(a, now)).map(claim -> terminal(claim, new Failed(reason, provider, segments)));
    }

    private static DeliveryOutcome terminal(Claim claim, DeliveryOutcome outcome) {
        return claim.won() ? outcome : duplicate(claim.existing().orElseThrow());
    }

    private static Duplicate duplicate(Record r) {
        return new Duplicate(r.fields().get("state"), emptyToNull(r.get("provider")),
                emptyToNull(r.get("provider_id")));
    }

    static boolean expiredAt(Attempt a, Instant now) {
        return !now.plus(MIN_REMAINING).isBefore(a.event().expiresAt());
    }

    private Duration recordTtl(Attempt a, Instant now) {
        Duration remaining = Duration.between(now, a.event().expiresAt());
        return (remaining.isNegative() ? Duration.ZERO : remaining).plus(config.ledger().retentionAfterExpiry());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? "unexpected error" : m;
    }
}
