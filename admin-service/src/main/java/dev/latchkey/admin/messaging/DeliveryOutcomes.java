package dev.latchkey.admin.messaging;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.latchkey.admin.config.AdminConfig;
import dev.latchkey.common.config.ConfigTopicConfig;
import dev.latchkey.common.event.DeliveryStatus;

/**
 * The most recent delivery outcomes per connection, for the console. Follows {@code otp.delivery.status} without a
 * consumer group (every replica reads for itself), starting a little before the end of each partition so a fresh
 * start still shows recent history. Status events carry no code or message body.
 */
@ApplicationScoped
public class DeliveryOutcomes {

    private static final Logger LOG = Logger.getLogger(DeliveryOutcomes.class);

    private final AdminConfig.Deliveries config;
    private final String bootstrap;
    private final ObjectMapper mapper;
    private final Map<String, Deque<DeliveryStatus>> byConnection = new ConcurrentHashMap<>();

    private volatile boolean stopping;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public DeliveryOutcomes(AdminConfig config, ConfigTopicConfig topic, ObjectMapper mapper) {
        this.config = config.deliveries();
        this.bootstrap = topic.bootstrapServers();
        this.mapper = mapper;
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled()) {
            thread = Thread.ofPlatform().daemon().name("delivery-outcomes").start(this::run);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Newest first. */
    public List<DeliveryStatus> recent(String connection) {
        Deque<DeliveryStatus> d = byConnection.get(connection);
        if (d == null) {
            return List.of();
        }
        synchronized (d) {
            return List.copyOf(d);
        }
    }

    void record(DeliveryStatus status) {
        if (status.connection() == null) {
            return;
        }
        Deque<DeliveryStatus> d = byConnection.computeIfAbsent(status.connection(), k -> new ArrayDeque<>());
        synchronized (d) {
            d.addFirst(status);
            while (d.size() > config.keep()) {
                d.removeLast();
            }
        }
    }

    private void run() {
        while (!stopping) {
            try (KafkaConsumer<String, byte[]> c = newConsumer()) {
                consumer = c;
                List<TopicPartition> partitions = c.partitionsFor(config.topic(), Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (partitions.isEmpty()) {
                    throw new IllegalStateException("topic " + config.topic() + " does not exist yet");
                }
                c.assign(partitions);
                Map<TopicPartition, Long> begin = c.beginningOffsets(partitions);
                c.endOffsets(partitions).forEach((tp, end) -> c.seek(tp,
                        Math.max(begin.getOrDefault(tp, 0L), end - config.keep())));
                while (!stopping) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofSeconds(1))) {
                        if (r.value() != null) {
                            try {
                                record(mapper.readValue(r.value(), DeliveryStatus.class));
                            } catch (Exception e) {
                                LOG.debugf("skipping unreadable delivery status at offset %d", r.offset());
                            }
                        }
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                LOG.debugf("delivery outcomes not followed yet: %s", e.getMessage());
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "admin-delivery-outcomes");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return new KafkaConsumer<>(p);
    }
}
