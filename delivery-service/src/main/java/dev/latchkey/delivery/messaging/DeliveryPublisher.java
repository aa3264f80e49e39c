package dev.latchkey.delivery.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.event.DeliveryStatus;

/**
 * Everything delivery-service writes to Kafka: status events (keyed by event id), events parked on a retry topic
 * and events given up on the dead-letter topic (both keyed by recipient, the original value unchanged, the reason and
 * attempt in headers). Each send completes when the broker has the record, so the source record is acknowledged only
 * after what replaces it is safe.
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

    public DeliveryPublisher(
            @Channel("delivery-status") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192) MutinyEmitter<DeliveryStatus> status,
            @Channel("delivery-retry") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<byte[]> retry,
            @Channel("delivery-dlq") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<byte[]> deadLetter) {
        this.status = status;
        this.retry = retry;
        this.deadLetter = deadLetter;
    }

    /** Publishes an outcome; its record continues {@code trace} (the consumed record's). */
    public Uni<Void> status(DeliveryStatus s, Context trace) {
        return status.sendMessage(Message.of(s)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(s.eventId()).build())
                .addMetadata(TracingMetadata.withCurrent(trace)));
    }

    /** Parks the event on a retry topic until {@code notBefore}. */
    public Uni<Void> retry(String topic, SourceRecord source, int attempt, Instant notBefore, String reason) {
        Headers headers = copy(source.headers());
        put(headers, ATTEMPT, Integer.toString(attempt));
        put(headers, NOT_BEFORE, Long.toString(notBefore.toEpochMilli()));
        put(headers, REASON, reason);
        return retry.sendMessage(Message.of(source.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic).withKey(source.key()).withHeaders(headers).build()));
    }

    /** Gives the event up: the dead-letter topic gets it with the reason. */
    public Uni<Void> deadLetter(SourceRecord source, String eventId, int attempt, String reason) {
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
