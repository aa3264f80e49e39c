package dev.latchkey.delivery.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.core.Vertx;

import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.event.Channel;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.observability.RequestIds;
import dev.latchkey.delivery.config.DeliveryConfig;
import dev.latchkey.delivery.messaging.DeliveryPublisher.SourceRecord;
import dev.latchkey.delivery.service.Attempt;
import dev.latchkey.delivery.service.DeliveryService;
import dev.latchkey.delivery.service.Report;

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
    private final MeterRegistry metrics;
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
        this.metrics = metrics;
        this.smsInFlight = new InFlightLimiter(config.sms().maxInFlight());
        this.emailInFlight = new InFlightLimiter(config.email().maxInFlight());
        // Retries have their own permits: records waiting for their time never hold up fresh events.
        this.smsRetryInFlight = new InFlightLimiter(config.retry().maxInFlight());
        this.emailRetryInFlight = new InFlightLimiter(config.retry().maxInFlight());
        gauge(Channel.SMS, "main", smsInFlight);
        gauge(Channel.SMS, "retry", smsRetryInFlight);
        gauge(Channel.EMAIL, "main", emailInFlight);
        gauge(Channel.EMAIL, "retry", emailRetryInFlight);
    }

    private void gauge(Channel channel, String topic, InFlightLimiter limiter) {
        Gauge.builder("latchkey.delivery.in_flight", limiter, InFlightLimiter::inUse)
                .description("Records admitted and not yet settled").tag("channel", channel.wire()).tag("topic", topic)
                .register(metrics);
    }

    @Incoming("sms")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> sms(Message<byte[]> record) {
        return admit(Channel.SMS, smsInFlight, record);
    }

    @Incoming("sms-retry")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> smsRetry(Message<byte[]> record) {
        return admit(Channel.SMS, smsRetryInFlight, record);
    }

    @Incoming("email")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> email(Message<byte[]> record) {
        return admit(Channel.EMAIL, emailInFlight, record);
    }

    @Incoming("email-retry")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> emailRetry(Message<byte[]> record) {
        return admit(Channel.EMAIL, emailRetryInFlight, record);
    }

    /**
     * Completes once the record holds a permit; the work goes on after that, on the record's own (duplicated) Vert.x
     * context even when the permit was freed by another record, so that its MDC and trace stay its own.
     */
    private Uni<Void> admit(Channel channel, InFlightLimiter inFlight, Message<byte[]> record) {
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

    private Uni<Void> handle(Channel channel, Message<byte[]> record) {
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
            return settle(record, publisher.deadLetter(source, channel, null, attempt, "unreadable delivery event",
                    "unreadable"));
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
        Attempt a = new Attempt(event, channel, attempt, trace);
        return settle(record, configReady(System.nanoTime() + CONFIG_WAIT.toNanos()).chain(() -> due)
                .chain(() -> service.deliver(a))
                .chain(outcome -> publisher.publish(Report.of(a, outcome), source, trace)));
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

    /** Acknowledges the record once what replaces it is on Kafka. */
    private static Uni<Void> settle(Message<byte[]> record, Uni<Void> publishing) {
        return publishing.onItemOrFailure().transformToUni((ok, failure) -> failure == null
                ? Uni.createFrom().completionStage(record.ack())
                // Kafka would not take the outcome: the failure strategy (dead-letter topic) takes over.
                : Uni.createFrom().completionStage(record.nack(failure)));
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
