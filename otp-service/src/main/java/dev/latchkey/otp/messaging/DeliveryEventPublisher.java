package dev.latchkey.otp.messaging;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.observability.RequestIds;
import dev.latchkey.otp.config.OtpConfig;

/**
 * Hands delivery events to Kafka: {@code otp.delivery.sms} or {@code otp.delivery.email} by channel (see
 * {@link OtpConfig.Delivery}), keyed by
 * recipient (one recipient's events stay in order on one partition). The record carries the W3C trace context of the
 * request that issued the code ({@code traceparent} header, written by the connector's OpenTelemetry instrumentation
 * under a producer span of the request's trace), so delivery-service continues the same trace. The
 * channel's producer is idempotent with {@code acks=all} (application.properties); the returned {@link Uni} completes
 * only once the brokers acknowledged the record, and fails when Kafka reported it not written. Each record carries
 * the time its start stops waiting ({@link DeadlineSerializer#SEND_BY_HEADER}, the start plus
 * {@code latchkey.otp.delivery.ack-timeout}): the producer lets it in only while its verdict is sure to come by then,
 * so a record whose start answered 503 is never written afterwards.
 */
@ApplicationScoped
public class DeliveryEventPublisher {

    private final MutinyEmitter<byte[]> emitter;
    private final ObjectMapper mapper;
    private final String smsTopic;
    private final String emailTopic;
    private final long ackTimeoutMs;

    public DeliveryEventPublisher(@Channel("delivery-events") MutinyEmitter<byte[]> emitter, ObjectMapper mapper,
            OtpConfig config) {
        this.emitter = emitter;
        this.mapper = mapper;
        this.smsTopic = config.delivery().smsTopic();
        this.emailTopic = config.delivery().emailTopic();
        this.ackTimeoutMs = config.delivery().ackTimeout().toMillis();
    }

    public Uni<Void> publish(DeliveryEvent event) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("delivery event not serialisable"));
        }
        // The request's span, current here: the connector's producer span becomes its child.
        Context trace = Context.current();
        RecordHeaders headers = new RecordHeaders();
        // Wall-clock time, not the injected clock: it is compared with the Kafka client's own time, in this process. A
        // margin before the start's own timeout, so that a verdict (an acknowledgement above all) is not racing it.
        headers.add(DeadlineSerializer.SEND_BY_HEADER, DeadlineSerializer
                .sendBy(System.currentTimeMillis() + ackTimeoutMs - DeadlineSerializer.VERDICT_MARGIN_MS));
        // The start's request id, so that delivery-service logs this event under the same id.
        if (MDC.get(RequestIds.MDC_KEY) instanceof String requestId) {
            headers.add(DeliveryEvent.REQUEST_ID_HEADER, requestId.getBytes(StandardCharsets.US_ASCII));
        }
        var metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic("sms".equals(event.channel()) ? smsTopic : emailTopic)
                .withKey(event.recipient())
                .withHeaders(headers)
                .build();
        return Uni.createFrom().deferred(() -> emitter.sendMessage(Message.of(json).addMetadata(metadata)
                .addMetadata(TracingMetadata.withCurrent(trace))));
    }
}
