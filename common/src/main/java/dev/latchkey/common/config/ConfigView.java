package dev.latchkey.common.config;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

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
import io.smallrye.common.annotation.Identifier;

/**
 * The live, in-memory copy of {@code latchkey.config}: every instance reads the whole compacted topic from the
 * beginning (no consumer group, all partitions assigned), so hot paths never ask admin-service or a database for
 * configuration, and keep working while admin-service is down. {@link #caughtUp()} turns true once the records that
 * were on the topic when the service started have been applied; readiness waits for it.
 */
@ApplicationScoped
public class ConfigView {

    private static final Logger LOG = Logger.getLogger(ConfigView.class);

    private final ConfigTopicConfig config;
    private final ObjectMapper mapper;
    private final Map<String, ClientConfig> clients = new ConcurrentHashMap<>();
    private final Map<String, ConnectionConfig> connections = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, Object>> listeners = new CopyOnWriteArrayList<>();

    private volatile boolean caughtUp;
    private volatile String lastError;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean stopping;
    private Thread thread;

    private final Map<String, Object> kafka;

    /** @param kafka every {@code kafka.*} / {@code KAFKA_*} setting (security protocol, SASL, TLS...) */
    public ConfigView(ConfigTopicConfig config, ObjectMapper mapper,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.config = config;
        this.mapper = mapper;
        this.kafka = kafka;
        this.lastError = "waiting for Kafka at " + config.bootstrapServers();
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        thread = Thread.ofPlatform().daemon().name("config-view").start(this::run);
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public Optional<ClientConfig> client(String clientId) {
        return clientId == null ? Optional.empty() : Optional.ofNullable(clients.get(clientId));
    }

    /** Every client known now (a live, read-only view). */
    public Collection<ClientConfig> clients() {
        return Collections.unmodifiableCollection(clients.values());
    }

    public Optional<ConnectionConfig> connection(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(connections.get(name));
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    /** Why the view is not caught up yet (for the readiness check). */
    public String lastError() {
        return lastError;
    }

    public String topic() {
        return config.name();
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    /**
     * Called with (key, new value or null) after each applied record, on the view's own thread; keep it quick.
     */
    public void addListener(BiConsumer<String, Object> listener) {
        listeners.add(listener);
    }

    private void run() {
        while (!stopping) {
            try (KafkaConsumer<String, byte[]> c = newConsumer()) {
                consumer = c;
                follow(c);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                lastError = describe(e);
                LOG.warnf("config topic %s at %s: %s; retrying", config.name(), config.bootstrapServers(), lastError);
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    private void follow(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> partitions = c.partitionsFor(config.name(), Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + config.name() + " does not exist");
        }
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(10));
        lastError = "replaying " + config.name();
        while (!stopping) {
            for (ConsumerRecord<String, byte[]> r : c.poll(config.pollTimeout())) {
                apply(r.key(), r.value());
            }
            if (!caughtUp && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                caughtUp = true;
                lastError = null;
                LOG.infof("config view caught up with %s: %d clients, %d connections", config.name(), clients.size(),
                        connections.size());
            }
        }
    }

    void apply(String key, byte[] value) {
        if (key == null) {
            return;
        }
        try {
            Object applied;
            if (key.startsWith(ClientConfig.KEY_PREFIX)) {
                String id = key.substring(ClientConfig.KEY_PREFIX.length());
                applied = value == null ? null : mapper.readValue(value, ClientConfig.class);
                put(clients, id, (ClientConfig) applied);
            } else if (key.startsWith(ConnectionConfig.KEY_PREFIX)) {
                String name = key.substring(ConnectionConfig.KEY_PREFIX.length());
                applied = value == null ? null : mapper.readValue(value, ConnectionConfig.class);
                put(connections, name, (ConnectionConfig) applied);
            } else {
                return;
            }
            for (BiConsumer<String, Object> l : listeners) {
                l.accept(key, applied);
            }
        } catch (Exception e) {
            // One bad record must not stop the view; the previous value stays in force.
            LOG.errorf("ignoring unreadable config record %s: %s", key, e.getMessage());
        }
    }

    private static <T> void put(Map<String, T> map, String id, T value) {
        if (value == null) {
            map.remove(id);
        } else {
            map.put(id, value);
        }
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        Properties p = new Properties();
        p.putAll(kafka);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG); // every instance reads the whole topic: no group
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "config-view");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        return new KafkaConsumer<>(p);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
