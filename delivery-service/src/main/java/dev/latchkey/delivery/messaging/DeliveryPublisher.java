package dev.latchkey.delivery.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.event.DeliveryStatus;
import dev.latchkey.delivery.config.DeliveryConfig;
import dev.latchkey.delivery.service.DeliveryOutcome;
import dev.latchkey.delivery.service.DeliveryOutcome.Duplicate;
import dev.latchkey.delivery.service.DeliveryOutcome.Expired;
import dev.latchkey.delivery.service.DeliveryOutcome.Failed;
import dev.latchkey.delivery.service.DeliveryOutcome.FailedOver;
import dev.latchkey.delivery.service.DeliveryOutcome.Receipt;
import dev.latchkey.delivery.service.DeliveryOutcome.Retry;
import dev.latchkey.delivery.service.DeliveryOutcome.Revoked;
import dev.latchkey.delivery.service.DeliveryOutcome.Sent;
import dev.latchkey.delivery.service.Report;

/**
 * Everything delivery-service writes to Kafka: status events (keyed by event id), events parked on a retry topic
 * and events given up on the dead-letter topic (both keyed by recipient, the original value unchanged, the reason and
 * attempt in headers). Each send completes when the broker has the record, so the source record is acknowledged only
 * after what replaces it is safe. Every outcome, an attempt's or a provider receipt's, goes through
 * {@link #publish}, which also counts it ({@code latchkey.delivery.outcomes}).
 */
@ApplicationScoped
public class DeliveryPublisher {

    /** Headers delivery-service adds to retry and dead-letter records. */
    public static final String ATTEMPT = "latchkey-attempt";
    public static final String NOT_BEFORE = "latchkey-not-before";
    public static final String REASON = "latchkey-reason";
    public static final String EVENT_ID = "latchkey-event-id";
    /** The same header names SmallRye's own dead-letter handler uses, so one tool reads both. */
    public static final String DEAD_LETTER_REASON = "dead-letter-reason";
    public static final String DEAD_LETTER_TOPIC = "dead-letter-topic";
    public static final String DEAD_LETTER_PARTITION = "dead-letter-partition";
    public static final String DEAD_LETTER_OFFSET = "dead-letter-offset";

    private final MutinyEmitter<DeliveryStatus> status;
    private final MutinyEmitter<byte[]> retry;
    private final MutinyEmitter<byte[]> deadLetter;
    private final DeliveryConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public DeliveryPublisher(
            @Channel("delivery-status") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192) MutinyEmitter<DeliveryStatus> status,
            @Channel("delivery-retry") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<byte[]> retry,
            @Channel("delivery-dlq") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<byte[]> deadLetter,
            DeliveryConfig config, Clock clock, MeterRegistry metrics) {
        this.status = status;
        this.retry = retry;
        this.deadLetter = deadLetter;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Publishes an outcome: its status event (continuing {@code trace}), and for a retry or a failure the record that
     * carries the event on ({@code source}, the record being handled; receipts have none and need none).
     */
    public Uni<Void> publish(Report report, SourceRecord source, Context trace) {
        DeliveryOutcome outcome = report.outcome();
        String channel = report.subject().channel();
        count(channel, outcome);
        return switch (outcome) {
            case Sent s -> {
                latency(channel, report.issuedAt());
                yield status(status(report, s.providerId(), null, s.segments(), report.attempt()), trace);
            }
            case Expired x -> status(status(report, null, x.reason(), null, report.attempt()), trace);
            case Revoked v -> status(status(report, null, v.reason(), null, report.attempt()), trace);
            case Duplicate d -> status(status(report, d.providerId(), "already " + d.previousState(), null,
                    report.attempt()), trace);
            case Retry r -> retry(retryTopic(channel), source, r.nextAttempt(), r.notBefore(), r.reason())
                    .chain(() -> status(status(report, null, r.reason(), null, r.nextAttempt()), trace));
            case Failed f -> deadLetter(source, channel, report.subject().eventId(), report.attempt(), f.reason(),
                    "failed")
                    .chain(() -> status(status(report, null, f.reason(), f.segments(), report.attempt()), trace));
            case Receipt r -> status(status(report, r.providerId(), r.reason(), null, report.attempt()), trace);
            case FailedOver f -> {
                failedOver(channel, f);
                yield status(status(report, null, "route step " + f.fromStep() + " (" + f.fromProvider()
                        + ") → step " + f.toStep() + " (" + f.toProvider() + "): " + f.reason(), null,
                        report.attempt()), trace)
                        .chain(() -> publish(new Report(report.subject(), report.attempt(), report.issuedAt(),
                                f.then()), source, trace));
            }
        };
    }

    private DeliveryStatus status(Report r, String providerId, String reason, Integer segments, int attempt) {
        return DeliveryStatus.of(r.subject().eventId(), r.subject().clientId(), r.subject().connection(),
                r.subject().channel(), r.outcome().state(), r.outcome().provider(), providerId, reason, segments,
                attempt, clock.instant());
    }

    private String retryTopic(String channel) {
        return ConnectionConfig.SMS.equals(channel) ? config.topics().smsRetry() : config.topics().emailRetry();
    }

    private void count(String channel, DeliveryOutcome outcome) {
        String state = outcome.state().wire();
        String p = outcome.provider() == null ? "none" : outcome.provider();
        counters.computeIfAbsent(channel + '/' + state + '/' + p, k -> Counter.builder("latchkey.delivery.outcomes")
                .description("Delivery outcomes by channel, provider and state (sent, failed, expired, duplicate, "
                        + "retrying, and the receipts' delivered, ...)")
                .tag("channel", channel).tag("status", state).tag("provider", p)
                .register(metrics)).increment();
    }

    /** Failovers per channel, from and to provider, and the kind of failure that caused it. */
    private void failedOver(String channel, FailedOver f) {
        String kind = f.reason().contains("did not answer within") ? "timeout" : "failure";
        counters.computeIfAbsent("failover/" + channel + '/' + f.fromProvider() + '/' + f.toProvider() + '/' + kind,
                k -> Counter.builder("latchkey.delivery.failovers")
                        .description("Route steps that gave up an event to the next step, by reason")
                        .tag("channel", channel).tag("from", f.fromProvider()).tag("to", f.toProvider())
                        .tag("reason", kind).register(metrics))
                .increment();
    }

    private void latency(String channel, Instant issuedAt) {
        if (issuedAt != null) {
            timers.computeIfAbsent(channel, c -> Timer.builder("latchkey.delivery.latency")
                    .description("From the event's issued_at to the provider's acceptance")
                    .tag("channel", c)
                    .publishPercentiles(0.5, 0.99)
                    .register(metrics))
                    .record(Duration.between(issuedAt, clock.instant()));
        }
    }

    /** Publishes a status event; its record continues {@code trace} (the consumed record's). */
    private Uni<Void> status(DeliveryStatus s, Context trace) {
        return status.sendMessage(Message.of(s)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(s.eventId()).build())
                .addMetadata(TracingMetadata.withCurrent(trace)));
    }

    /** Parks the event on a retry topic until {@code notBefore}. */
    private Uni<Void> retry(String topic, SourceRecord source, int attempt, Instant notBefore, String reason) {
        Headers headers = copy(source.headers());
        put(headers, ATTEMPT, Integer.toString(attempt));
        put(headers, NOT_BEFORE, Long.toString(notBefore.toEpochMilli()));
        put(headers, REASON, reason);
        return retry.sendMessage(Message.of(source.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic).withKey(source.key()).withHeaders(headers).build()));
    }

    /**
     * Gives the event up: the dead-letter topic gets it with the reason.
     *
     * @param kind the {@code reason} tag of {@code latchkey.delivery.dead_lettered}: {@code failed} (permanent or out
     *        of retries) or {@code unreadable}
     */
    public Uni<Void> deadLetter(SourceRecord source, String channel, String eventId, int attempt, String reason,
            String kind) {
        counters.computeIfAbsent("dlq/" + channel + '/' + kind, k -> Counter.builder("latchkey.delivery.dead_lettered")
                .description("Delivery records put on the dead-letter topic").tag("channel", channel)
                .tag("reason", kind).register(metrics)).increment();
        Headers headers = copy(source.headers());
        put(headers, DEAD_LETTER_REASON, reason);
        put(headers, DEAD_LETTER_TOPIC, source.topic());
        put(headers, DEAD_LETTER_PARTITION, Integer.toString(source.partition()));
        put(headers, DEAD_LETTER_OFFSET, Long.toString(source.offset()));
        put(headers, ATTEMPT, Integer.toString(attempt));
        if (eventId != null) {
            put(headers, EVENT_ID, eventId);
        }
        return deadLetter.sendMessage(Message.of(source.value()).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(source.key()).withHeaders(headers).build()));
    }

    /** What the publisher needs of the record being handled. */
    public record SourceRecord(String topic, int partition, long offset, String key, byte[] value, Headers headers) {
    }

    private static Headers copy(Headers original) {
        RecordHeaders h = new RecordHeaders();
        if (original != null) {
            for (Header header : original) {
                String k = header.key();
                // Our own and the dead-letter headers are replaced, not stacked up over retries; the start's request
                // id stays with the event.
                if (k.equals(DeliveryEvent.REQUEST_ID_HEADER)
                        || !k.startsWith("latchkey-") && !k.startsWith("dead-letter-")) {
                    h.add(k, header.value());
                }
            }
        }
        return h;
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }
}
