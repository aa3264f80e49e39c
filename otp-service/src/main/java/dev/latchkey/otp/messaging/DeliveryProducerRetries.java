package dev.latchkey.otp.messaging;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;

import io.smallrye.reactive.messaging.ClientCustomizer;

/**
 * Gives the delivery-event producer back Kafka's own retries. The channel's {@code retries=0} is read by the connector
 * too, which otherwise sends a failed record again on its own (with backoff, for up to {@code delivery.timeout.ms}):
 * a start then waited for two or three such rounds, and a resend could be written after its start had given up. The
 * connector's setting is off; the producer keeps retrying inside {@code delivery.timeout.ms} (and must, being
 * idempotent), so a start gets one verdict within that time.
 */
@ApplicationScoped
public class DeliveryProducerRetries implements ClientCustomizer<Map<String, Object>> {

    /** The outgoing channel of {@link DeliveryEventPublisher}. */
    static final String CHANNEL = "delivery-events";

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> config) {
        if (!CHANNEL.equals(channel)) {
            return null;
        }
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        return config;
    }
}
