package dev.latchkey.otp.messaging;

import java.nio.ByteBuffer;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The value serializer of the delivery-event producer: lets a record into the producer only while Kafka's verdict on
 * it is sure to come before the start that sent it stops waiting. Kafka serializes a record on every send, just
 * before it joins a batch, and settles it (written, or failed) within {@code delivery.timeout.ms} of that; so a record
 * whose start waits until {@link #SEND_BY_HEADER} is refused here once {@code now + delivery.timeout.ms} passes that
 * time. That covers a record that waited before reaching the producer (behind others on the connector's one sending
 * thread, each of which may block up to {@code max.block.ms} for metadata) and any resend: without it, such a record
 * could be written after its start had answered 503 and taken its code back, and the person would get a code that
 * does not work. The refusal is a {@link SerializationException},
 * which the connector does not retry: the start gets it at once.
 */
public class DeadlineSerializer extends ByteArraySerializer {

    /**
     * Record header: the wall-clock time (epoch ms, 8 bytes big-endian) after which no verdict on the record reaches
     * its start. Set by {@link DeliveryEventPublisher}; readers of the topic ignore it.
     */
    public static final String SEND_BY_HEADER = "latchkey-send-by";

    /** How long before its start stops waiting a record's verdict must be due: time for it to reach the start. */
    public static final long VERDICT_MARGIN_MS = 1000;

    private long deliveryTimeoutMs = 120_000;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object timeout = configs.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
        if (timeout != null) {
            deliveryTimeoutMs = Long.parseLong(timeout.toString());
        }
    }

    @Override
    public byte[] serialize(String topic, Headers headers, byte[] data) {
        Header sendBy = headers == null ? null : headers.lastHeader(SEND_BY_HEADER);
        if (sendBy != null && sendBy.value().length == Long.BYTES) {
            long late = System.currentTimeMillis() + deliveryTimeoutMs - ByteBuffer.wrap(sendBy.value()).getLong();
            if (late > 0) {
                throw new SerializationException("delivery event refused: Kafka's verdict could come " + late
                        + " ms after its start stops waiting");
            }
        }
        return serialize(topic, data);
    }

    static byte[] sendBy(long epochMs) {
        return ByteBuffer.allocate(Long.BYTES).putLong(epochMs).array();
    }
}
