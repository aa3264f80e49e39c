package dev.latchkey.otp.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.testing.LocalServers;

/**
 * Reads what otp-service published to the delivery topics from the moment it was opened (it starts at the end of
 * every partition), so a test sees its own records only, however many other runs wrote before.
 */
public final class DeliveryTopics implements AutoCloseable {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    public DeliveryTopics() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServers.kafkaBootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(DeliveryEvent.TOPIC_SMS, DeliveryEvent.TOPIC_EMAIL)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** The record of one event; fails when it does not arrive within 15 s. */
    public ConsumerRecord<String, String> record(String eventId) {
        Instant until = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(until)) {
            for (ConsumerRecord<String, String> r : seen) {
                if (eventId.equals(event(r).eventId())) {
                    return r;
                }
            }
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        throw new AssertionError("no delivery event " + eventId + " on the delivery topics");
    }

    /** Every record that arrived so far plus within {@code wait}, for tests asserting that nothing was sent. */
    public List<ConsumerRecord<String, String>> all(Duration wait) {
        Instant until = Instant.now().plus(wait);
        while (Instant.now().isBefore(until)) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    public static DeliveryEvent event(ConsumerRecord<String, String> r) {
        try {
            return JSON.readValue(r.value(), DeliveryEvent.class);
        } catch (Exception e) {
            throw new AssertionError("not a delivery event: " + r.value(), e);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
