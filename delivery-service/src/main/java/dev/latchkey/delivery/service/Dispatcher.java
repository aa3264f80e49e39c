package dev.latchkey.delivery.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.event.Channel;
import dev.latchkey.delivery.config.DeliveryConfig;
import dev.latchkey.delivery.provider.Outgoing;
import dev.latchkey.delivery.provider.Provider;
import dev.latchkey.delivery.provider.Provider.CrashRecovery;
import dev.latchkey.delivery.provider.ProviderException;
import dev.latchkey.delivery.provider.Step;
import dev.latchkey.delivery.service.DeliveryOutcome.Duplicate;
import dev.latchkey.delivery.service.DeliveryOutcome.Expired;
import dev.latchkey.delivery.service.DeliveryOutcome.FailedOver;
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

    private final DeliveryLedger ledger;
    private final OutcomeRecorder records;
    private final SenderRateLimiter rateLimiter;
    private final DeliveryConfig config;
    private final Backoff backoff;
    private final RetryPolicy retries;
    private final Clock clock;
    private final Tracer tracer;

    public Dispatcher(DeliveryLedger ledger, OutcomeRecorder records, SenderRateLimiter rateLimiter,
            DeliveryConfig config, Clock clock, Tracer tracer) {
        this.ledger = ledger;
        this.records = records;
        this.rateLimiter = rateLimiter;
        this.config = config;
        this.backoff = new Backoff(config.retry().initialBackoff(), config.retry().maxBackoff());
        this.retries = new RetryPolicy(config.retry().stopBeforeExpiry());
        this.clock = clock;
        this.tracer = tracer;
    }

    Backoff backoff() {
        return backoff;
    }

    /**
     * Sends {@code message} through the route's first leg, within its sender rate, failing over to the next legs as
     * the {@link RetryPolicy} says.
     */
    public Uni<DeliveryOutcome> dispatch(Attempt a, List<Leg> route, Outgoing message) {
        Leg first = route.get(0);
        Step step = first.step();
        Provider provider = first.provider();
        Provider.RateLimit rate = provider.rateLimit(step);
        if (rate == null) {
            return callOnce(a, route, message);
        }
        Instant now = clock.instant();
        if (OutcomeRecorder.expiredAt(a, now)) {
            return records.expire(a);
        }
        SenderRateLimiter.Slot slot = SenderRateLimiter.slot(rate.key(), rate.perSecond(),
                config.twilio().maxThrottleWait());
        return ledger.claimWithinRate(a.subject(), a.number(), Claiming.call(provider.name(), step.index()), now,
                records.ttl(a, now), slot).chain(rated -> {
                    if (rated.claim().isPresent()) {
                        Claim claim = rated.claim().get();
                        return claim.won()
                                ? call(a, route, 0, message)
                                : alreadyHandled(a, route, message, claim.existing().orElseThrow());
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
                            .chain(() -> callOnce(a, route, message));
                });
    }

    /** Claims the event and, if this attempt owns it, calls the first leg's provider exactly once. */
    private Uni<DeliveryOutcome> callOnce(Attempt a, List<Leg> route, Outgoing message) {
        Instant now = clock.instant();
        if (OutcomeRecorder.expiredAt(a, now)) {
            return records.expire(a);
        }
        return ledger.claim(a.subject(), a.number(), Claiming.call(route.get(0).providerName(), 0), now,
                records.ttl(a, now))
                .chain(claim -> claim.won()
                        ? call(a, route, 0, message)
                        : alreadyHandled(a, route, message, claim.existing().orElseThrow()));
    }

    /** Calls leg {@code i} once, under this attempt's claim. */
    private Uni<DeliveryOutcome> call(Attempt a, List<Leg> route, int i, Outgoing message) {
        Step step = route.get(i).step();
        Provider provider = route.get(i).provider();
        Integer segments = a.channel() == Channel.SMS ? message.segments() : null;
        Span span = tracer.spanBuilder(provider.name() + " send").setParent(a.trace()).setSpanKind(SpanKind.CLIENT)
                .setAttribute("latchkey.provider", provider.name())
                .setAttribute("latchkey.channel", a.channel().wire())
                .setAttribute("latchkey.event_id", a.eventId())
                .setAttribute("latchkey.attempt", a.number())
                .setAttribute("latchkey.route_step", step.index())
                .startSpan();
        Uni<String> sending;
        try (Scope ignored = span.makeCurrent()) {
            sending = provider.send(step, message);
        } catch (RuntimeException e) {
            sending = Uni.createFrom().failure(e);
        }
        if (step.timeout() != null) {
            // The step's own timeout: past it the next step takes over (the late answer, if any, is not waited for).
            sending = sending.ifNoItem().after(step.timeout()).failWith(() -> new ProviderException(provider.name()
                    + " did not answer within " + step.timeout().toMillis() + " ms", ProviderException.Kind.TRANSIENT));
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
                return records.finish(a, State.SENT, fields, sent)
                        // It went out: the record stays "calling", which also keeps a redelivery from resending.
                        .onFailure().recoverWithItem(e -> {
                            LOG.warnf("event %s sent but its record not updated: %s", a.eventId(),
                                    OutcomeRecorder.describe(e));
                            return sent;
                        });
            }
            ProviderException pe = failure instanceof ProviderException p
                    ? p
                    : new ProviderException("unexpected failure calling " + provider.name() + ": "
                            + OutcomeRecorder.describe(failure), true);
            return afterFailure(a, route, i, message, segments, pe, now);
        });
    }

    private Uni<DeliveryOutcome> afterFailure(Attempt a, List<Leg> route, int i, Outgoing message, Integer segments,
            ProviderException failure, Instant now) {
        String provider = route.get(i).providerName();
        return switch (retries.after(failure, a.number(), i + 1 < route.size(), now, a.event().expiresAt(),
                backoff.after(a.number()))) {
            case RetryPolicy.FailOver f -> failOver(a, route, i, message, f.reason(), now);
            case RetryPolicy.GiveUp g -> records.finishFailed(a, provider, segments, g.reason());
            case RetryPolicy.Expire x -> records.finish(a, State.EXPIRED, Map.of("provider", provider, "reason",
                    x.reason()), new Expired(x.reason()));
            case RetryPolicy.TryAgain t -> records.finish(a, State.RETRYING, Map.of("provider", provider, "reason",
                    failure.getMessage()), new Retry(failure.getMessage(), t.notBefore(), a.number() + 1, provider));
        };
    }

    /**
     * Leg {@code i} failed; leg {@code i + 1} takes over at once under the same claim (never two legs at once),
     * within its own sender rate (a sender over its rate counts as a failure of that leg).
     */
    private Uni<DeliveryOutcome> failOver(Attempt a, List<Leg> route, int i, Outgoing message, String reason,
            Instant now) {
        Leg from = route.get(i);
        Leg to = route.get(i + 1);
        LOG.infof("event %s: route step %d (%s) failed, step %d (%s) takes over: %s", a.eventId(), i,
                from.providerName(), i + 1, to.providerName(), reason);
        Provider.RateLimit rate = to.provider().rateLimit(to.step());
        Uni<SenderRateLimiter.Reservation> slot = rate == null
                ? Uni.createFrom().item(new SenderRateLimiter.Reservation(true, Duration.ZERO))
                : rateLimiter.reserve(SenderRateLimiter.slot(rate.key(), rate.perSecond(),
                        config.twilio().maxThrottleWait()));
        return ledger.advance(a.eventId(), a.number(), i, i + 1, to.providerName(), now).chain(settled -> {
            if (settled.isPresent()) {
                return Uni.createFrom().item((DeliveryOutcome) OutcomeRecorder.duplicate(settled.get()));
            }
            return slot.chain(r -> {
                if (!r.granted()) {
                    return afterFailure(a, route, i + 1, message, null, new ProviderException("sender " + rate.sender()
                            + " is at its limit of " + rate.perSecond() + " messages/s", true), clock.instant());
                }
                // (Mutiny refuses a delay of zero.)
                return r.delay().isPositive()
                        ? Uni.createFrom().voidItem().onItem().delayIt().by(r.delay())
                                .chain(() -> call(a, route, i + 1, message))
                        : call(a, route, i + 1, message);
            }).map(then -> new FailedOver(from.providerName(), i, to.providerName(), i + 1, reason, then));
        });
    }

    private Uni<DeliveryOutcome> alreadyHandled(Attempt a, List<Leg> route, Outgoing message, Record record) {
        Instant now = clock.instant();
        int at = record.step() < route.size() ? record.step() : 0;
        Provider provider = route.get(at).provider();
        Step step = route.get(at).step();
        return switch (ClaimDecision.of(record, now, config.ledger().callTimeout(), config.retry().initialBackoff(),
                provider.name().equals(record.get("provider")) ? provider.crashRecovery() : CrashRecovery.GIVE_UP)) {
            case ClaimDecision.Duplicate d -> Uni.createFrom().item(OutcomeRecorder.duplicate(d.record()));
            // The provider cannot say whether it took the message: send again while the code is valid, under a
            // claim of this attempt's own (the dead one's is taken over only if it is still the same).
            case ClaimDecision.Resend r -> {
                LOG.infof("event %s: the attempt that claimed it at %s stopped during its %s call; sending again",
                        a.eventId(), record.at(), provider.name());
                yield ledger.takeOver(a.subject(), a.number(), record, Claiming.call(provider.name(), step.index()),
                        now, records.ttl(a, now)).chain(
                                claim -> claim.won()
                                        ? call(a, route, at, message)
                                        : Uni.createFrom()
                                                .item(OutcomeRecorder.duplicate(claim.existing().orElseThrow())));
            }
            // No receipt said the message exists: it may or may not have gone. Not sent again; the DLQ says so.
            case ClaimDecision.OutcomeUnknown u ->
                records.finishFailed(a, OutcomeRecorder.emptyToNull(u.record().get("provider")),
                        null, "an earlier attempt stopped during the provider call; outcome unknown, not sent again");
            case ClaimDecision.Recheck r -> Uni.createFrom().item(new Retry("another attempt is calling the provider"
                    + " (claimed at " + record.at() + "); looking again", r.at(), a.number(),
                    OutcomeRecorder.emptyToNull(record.get("provider"))));
        };
    }

}
