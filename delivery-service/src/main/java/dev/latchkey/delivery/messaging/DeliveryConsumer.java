package dev.latchkey.delivery.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.core.Vertx;

import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.event.DeliveryStatus;
import dev.latchkey.common.observability.RequestIds;
import dev.latchkey.delivery.config.DeliveryConfig;
import dev.latchkey.delivery.messaging.DeliveryPublisher.SourceRecord;
import dev.latchkey.delivery.service.DeliveryOutcome;
import dev.latchkey.delivery.service.DeliveryOutcome.Duplicate;
import dev.latchkey.delivery.service.DeliveryOutcome.Expired;
import dev.latchkey.delivery.service.DeliveryOutcome.Failed;
import dev.latchkey.delivery.service.DeliveryOutcome.Retry;
import dev.latchkey.delivery.service.DeliveryOutcome.Sent;
import dev.latchkey.delivery.service.DeliveryService;

/**
 * The four consumers: {@code otp.delivery.sms} and {@code otp.delivery.email}, and their retry topics. Each channel
 * has its own consumer group and its own bound on records in flight ({@code latchkey.delivery.<channel>.max-in-flight}),
 * so ops can scale and throttle SMS and email apart.
 *
 * <p>
 * A record is admitted when a permit is free and handled asynchronously; it is acknowledged only after its outcome is
 * safely on Kafka (status event, retry record or dead-letter record). Offsets are committed with the throttled strategy,
 * which commits past a record only once it and every record before it are acknowledged: a crash redelivers what was
 * in flight, and the ledger turns the redelivery into a no-op. A record from a retry topic waits for its
 * {@code latchkey-not-before} time on a timer, holding no thread and not delaying other records.
 */
@ApplicationScoped
public class DeliveryConsumer {

    private static final Logger LOG = Logger.getLogger(DeliveryConsumer.class);

    /** Longest a record waits at start for the configuration topic to be replayed before it is tried anyway. */
    private static final Duration CONFIG_WAIT = Duration.ofSeconds(30);

    private final DeliveryService service;
    private final ConfigView configView;
    private final DeliveryPublisher publisher;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final DeliveryConfig config;
    private final MeterRegistry metrics;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final InFlightLimiter smsInFlight;
    private final InFlightLimiter emailInFlight;
    private final InFlightLimiter smsRetryInFlight;
    private final InFlightLimiter emailRetryInFlight;

    public DeliveryConsumer(DeliveryService service, ConfigView configView, DeliveryPublisher publisher,
            ObjectMapper mapper, Clock clock, DeliveryConfig config, MeterRegistry metrics) {
        this.service = service;
        this.configView = configView;
        this.publisher = publisher;
        this.mapper = mapper;
        this.clock = clock;
        this.config = config;
        this.metrics = metrics;
        this.smsInFlight = new InFlightLimiter(config.sms().maxInFlight());
        this.emailInFlight = new InFlightLimiter(config.email().maxInFlight());
        // Retries have their own permits: records waiting for their time never hold up fresh events.
        this.smsRetryInFlight = new InFlightLimiter(config.retry().maxInFlight());
        this.emailRetryInFlight = new InFlightLimiter(config.retry().maxInFlight());
        gauge(ConnectionConfig.SMS, "main", smsInFlight);
        gauge(ConnectionConfig.SMS, "retry", smsRetryInFlight);
        gauge(ConnectionConfig.EMAIL, "main", emailInFlight);
        gauge(ConnectionConfig.EMAIL, "retry", emailRetryInFlight);
    }

    private void gauge(String channel, String topic, InFlightLimiter limiter) {
        Gauge.builder("latchkey.delivery.in_flight", limiter, InFlightLimiter::inUse)
                .description("Records admitted and not yet settled").tag("channel", channel).tag("topic", topic)
                .register(metrics);
    }

    @Incoming("sms")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> sms(Message<byte[]> record) {
        return admit(ConnectionConfig.SMS, smsInFlight, record);
    }

    @Incoming("sms-retry")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> smsRetry(Message<byte[]> record) {
        return admit(ConnectionConfig.SMS, smsRetryInFlight, record);
    }

    @Incoming("email")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> email(Message<byte[]> record) {
        return admit(ConnectionConfig.EMAIL, emailInFlight, record);
    }

    @Incoming("email-retry")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> emailRetry(Message<byte[]> record) {
        return admit(ConnectionConfig.EMAIL, emailRetryInFlight, record);
    }

    /**
     * Completes once the record holds a permit; the work goes on after that, on the record's own (duplicated) Vert.x
     * context even when the permit was freed by another record, so that its MDC and trace stay its own.
     */
    private Uni<Void> admit(String channel, InFlightLimiter inFlight, Message<byte[]> record) {
        io.vertx.core.Context own = Vertx.currentContext();
        return inFlight.acquire().invoke(() -> {
            Runnable work = () -> Uni.createFrom().deferred(() -> handle(channel, record))
                    .onTermination().invoke(inFlight::release)
                    .subscribe().with(ignored -> {
                    }, failure -> LOG.errorf("delivery record not settled: %s", failure.getMessage()));
            if (own == null || own == Vertx.currentContext()) {
                work.run();
            } else {
                own.runOnContext(ignored -> work.run());
            }
        });
    }

    private Uni<Void> handle(String channel, Message<byte[]> record) {
        SourceRecord source = source(record);
        int attempt = Math.max(1, intHeader(source.headers(), DeliveryPublisher.ATTEMPT, 1));
        // Logged under the request id of the start that issued the code, else the event id, else the record's place
        // (never the key: it is the recipient).
        String requestId = textHeader(source.headers(), DeliveryEvent.REQUEST_ID_HEADER);
        DeliveryEvent event;
        try {
            event = mapper.readValue(source.value(), DeliveryEvent.class);
        } catch (Exception e) {
            // Not an event at all: nothing to deliver, keep it for a person to look at.
            MDC.put(RequestIds.MDC_KEY, requestId != null
                    ? requestId
                    : source.topic() + '-' + source.partition() + '@' + source.offset());
            deadLettered(channel, "unreadable");
            return settle(record, publisher.deadLetter(source, null, attempt, "unreadable delivery event"));
        }
        MDC.put(RequestIds.MDC_KEY, requestId != null ? requestId : event.eventId());
        // The consumer span of this record, itself a child of the start's trace carried in the record headers.
        Context trace = TracingMetadata.fromMessage(record).map(TracingMetadata::getCurrentContext)
                .orElseGet(Context::current);
        long notBefore = longHeader(source.headers(), DeliveryPublisher.NOT_BEFORE, 0);
        Duration wait = Duration.ofMillis(notBefore - clock.millis());
        Uni<Void> due = wait.isNegative() || wait.isZero() || expiresFirst(event, notBefore)
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(wait);
        return configReady(System.nanoTime() + CONFIG_WAIT.toNanos()).chain(() -> due)
                .chain(() -> service.deliver(event, channel, attempt, trace))
                .chain(outcome -> publish(channel, source, event, attempt, outcome, trace))
                .onItemOrFailure().transformToUni((ok, failure) -> failure == null
                        ? Uni.createFrom().completionStage(record.ack())
                        // Kafka would not take the outcome: the failure strategy (dead-letter topic) takes over.
                        : Uni.createFrom().completionStage(record.nack(failure)));
    }

    /** Right after start the connections are not known yet: wait (on a timer) until the config view caught up. */
    private Uni<Void> configReady(long deadlineNanos) {
        if (configView.caughtUp() || System.nanoTime() > deadlineNanos) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(100))
                .chain(() -> configReady(deadlineNanos));
    }

    private static boolean expiresFirst(DeliveryEvent event, long notBefore) {
        return event.expiresAt() != null && event.expiresAt().toEpochMilli() <= notBefore;
    }

    private Uni<Void> publish(String channel, SourceRecord source, DeliveryEvent event, int attempt,
            DeliveryOutcome outcome, Context trace) {
        count(channel, outcome);
        return switch (outcome) {
            case Sent s -> {
                latency(channel, event);
                yield publisher.status(status(event, channel, "sent", s.provider(), s.providerId(), null,
                        s.segments(), attempt), trace);
            }
            case Expired x -> publisher.status(status(event, channel, "expired", null, null, x.reason(), null,
                    attempt), trace);
            case Duplicate d -> publisher.status(status(event, channel, "duplicate", d.provider(), d.providerId(),
                    "already " + d.previousState(), null, attempt), trace);
            case Retry r -> publisher.retry(retryTopic(channel), source, r.nextAttempt(), r.notBefore(), r.reason())
                    .chain(() -> publisher.status(status(event, channel, "retrying", r.provider(), null, r.reason(),
                            null, r.nextAttempt()), trace));
            case Failed f -> {
                deadLettered(channel, "failed");
                yield publisher.deadLetter(source, event.eventId(), attempt, f.reason())
                        .chain(() -> publisher.status(status(event, channel, "failed", f.provider(), null,
                                f.reason(), f.segments(), attempt), trace));
            }
        };
    }

    private Uni<Void> settle(Message<byte[]> record, Uni<Void> publishing) {
        return publishing.onItemOrFailure().transformToUni((ok, failure) -> failure == null
                ? Uni.createFrom().completionStage(record.ack())
                : Uni.createFrom().completionStage(record.nack(failure)));
    }

    private DeliveryStatus status(DeliveryEvent e, String channel, String status, String provider,
            String providerId, String reason, Integer segments, int attempt) {
        return new DeliveryStatus(e.eventId(), e.clientId(), e.connection(), channel, status, provider, providerId,
                reason, segments, attempt, clock.instant());
    }

    private String retryTopic(String channel) {
        return ConnectionConfig.SMS.equals(channel) ? config.topics().smsRetry() : config.topics().emailRetry();
    }

    private void count(String channel, DeliveryOutcome outcome) {
        String status;
        String provider;
        switch (outcome) {
            case Sent s -> {
                status = "sent";
                provider = s.provider();
            }
            case Expired x -> {
                status = "expired";
                provider = null;
            }
            case Duplicate d -> {
                status = "duplicate";
                provider = d.provider();
            }
            case Retry r -> {
                status = "retrying";
                provider = r.provider();
            }
            case Failed f -> {
                status = "failed";
                provider = f.provider();
            }
        }
        String p = provider == null ? "none" : provider;
        counters.computeIfAbsent(channel + '/' + status + '/' + p, k -> Counter.builder("latchkey.delivery.outcomes")
                .description("Delivery attempts by channel, provider and outcome (sent, failed, expired, duplicate, "
                        + "retrying)")
                .tag("channel", channel).tag("status", status).tag("provider", p)
                .register(metrics)).increment();
    }

    /** Records put on the dead-letter topic: {@code failed} (permanent or out of retries) or {@code unreadable}. */
    private void deadLettered(String channel, String reason) {
        counters.computeIfAbsent("dlq/" + channel + '/' + reason,
                k -> Counter.builder("latchkey.delivery.dead_lettered")
                        .description("Delivery records put on the dead-letter topic").tag("channel", channel)
                        .tag("reason", reason).register(metrics))
                .increment();
    }

    private void latency(String channel, DeliveryEvent event) {
        if (event.issuedAt() != null) {
            timers.computeIfAbsent(channel, c -> Timer.builder("latchkey.delivery.latency")
                    .description("From the event's issued_at to the provider's acceptance")
                    .tag("channel", c)
                    .publishPercentiles(0.5, 0.99)
                    .register(metrics))
                    .record(Duration.between(event.issuedAt(), clock.instant()));
        }
    }

    @SuppressWarnings("unchecked")
    private static SourceRecord source(Message<byte[]> record) {
        IncomingKafkaRecordMetadata<String, byte[]> m = record.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("not a Kafka record"));
        return new SourceRecord(m.getTopic(), m.getPartition(), m.getOffset(), m.getKey(), record.getPayload(),
                m.getHeaders());
    }

    private static String textHeader(Headers headers, String name) {
        Header h = headers == null ? null : headers.lastHeader(name);
        return h == null || h.value() == null || h.value().length == 0 || h.value().length > 128
                ? null
                : new String(h.value(), StandardCharsets.US_ASCII);
    }

    private static int intHeader(Headers headers, String name, int fallback) {
        return (int) longHeader(headers, name, fallback);
    }

    private static long longHeader(Headers headers, String name, long fallback) {
        Header h = headers == null ? null : headers.lastHeader(name);
        if (h == null || h.value() == null) {
            return fallback;
        }
        try {
            return Long.parseLong(new String(h.value(), StandardCharsets.UTF_8).strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
