package dev.latchkey.admin.messaging;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.latchkey.admin.config.AdminConfig;
import dev.latchkey.common.config.ConfigTopicConfig;
import dev.latchkey.common.event.DeliveryStatus;
import dev.latchkey.common.kafka.TopicTail;

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

    private volatile TopicTail tail;

    public DeliveryOutcomes(AdminConfig config, ConfigTopicConfig topic, ObjectMapper mapper) {
        this.config = config.deliveries();
        this.bootstrap = topic.bootstrapServers();
        this.mapper = mapper;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        var settings = new TopicTail.Settings(config.topic(), bootstrap, "admin-delivery-outcomes",
                Map.of(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"), TopicTail.Start.last(config.keep()),
                Duration.ofSeconds(1), Duration.ofSeconds(5));
        tail = TopicTail.follow(settings, new TopicTail.Reader() {

            @Override
            public void accept(String key, byte[] value, long offset) {
                if (value == null) {
                    return;
                }
                try {
                    record(mapper.readValue(value, DeliveryStatus.class));
                } catch (Exception e) {
                    LOG.debugf("skipping unreadable delivery status at offset %d", offset);
                }
            }

            @Override
            public void failed(String why) {
                LOG.debugf("delivery outcomes not followed yet: %s", why);
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        TopicTail t = tail;
        if (t != null) {
            t.stop(Duration.ofSeconds(5));
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
}
