package dev.latchkey.otp.messaging;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.otp.config.OtpConfig;
import dev.latchkey.otp.service.TraceContext;

/**
 * Hands delivery events to Kafka: {@code otp.delivery.sms} or {@code otp.delivery.email} by channel (see
 * {@link OtpConfig.Delivery}), keyed by
 * recipient (one recipient's events stay in order on one partition), W3C trace context in the record headers. The
 * channel's producer is idempotent with {@code acks=all} (application.properties); the returned {@link Uni} completes
 * only once the brokers acknowledged the record, and fails when Kafka reported it not written.
 */
@ApplicationScoped
public class DeliveryEventPublisher {

    private final MutinyEmitter<byte[]> emitter;
    private final ObjectMapper mapper;
    private final String smsTopic;
    private final String emailTopic;

    public DeliveryEventPublisher(@Channel("delivery-events") MutinyEmitter<byte[]> emitter, ObjectMapper mapper,
            OtpConfig config) {
        this.emitter = emitter;
        this.mapper = mapper;
        this.smsTopic = config.delivery().smsTopic();
        this.emailTopic = config.delivery().emailTopic();
    }

    public Uni<Void> publish(DeliveryEvent event, TraceContext trace) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("delivery event not serialisable"));
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", trace.traceparent().getBytes(StandardCharsets.US_ASCII));
        if (trace.tracestate() != null) {
            headers.add("tracestate", trace.tracestate().getBytes(StandardCharsets.US_ASCII));
        }
        var metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic("sms".equals(event.channel()) ? smsTopic : emailTopic)
                .withKey(event.recipient())
                .withHeaders(headers)
                .build();
        return Uni.createFrom().deferred(() -> emitter.sendMessage(Message.of(json).addMetadata(metadata)));
    }
}
