package dev.latchkey.common.config;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

import dev.latchkey.common.kafka.TopicTail;

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
    private final Map<String, Object> kafka;
    private volatile TopicTail tail;

    /** @param kafka every {@code kafka.*} / {@code KAFKA_*} setting (security protocol, SASL, TLS...) */
    public ConfigView(ConfigTopicConfig config, ObjectMapper mapper,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.config = config;
        this.mapper = mapper;
        this.kafka = kafka;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        var settings = new TopicTail.Settings(config.name(), config.bootstrapServers(), "config-view", kafka,
                TopicTail.Start.BEGINNING, config.pollTimeout(), Duration.ofSeconds(1));
        tail = TopicTail.follow(settings, new TopicTail.Reader() {

            @Override
            public void accept(String key, byte[] value, long offset) {
                apply(key, value);
            }

            @Override
            public void caughtUp() {
                LOG.infof("config view caught up with %s: %d clients, %d connections", config.name(),
                        clients.size(), connections.size());
            }

            @Override
            public void failed(String why) {
                LOG.warnf("config topic %s at %s: %s; retrying", config.name(), config.bootstrapServers(), why);
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        TopicTail t = tail;
        if (t != null) {
            t.stop(Duration.ofSeconds(5));
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
        TopicTail t = tail;
        return t != null && t.caughtUp();
    }

    /** Why the view is not caught up yet (for the readiness check). */
    public String lastError() {
        TopicTail t = tail;
        return t == null ? "waiting for Kafka at " + config.bootstrapServers() : t.lastError();
    }

    public String topic() {
        return config.name();
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    void apply(String key, byte[] value) {
        if (key == null) {
            return;
        }
        try {
            if (key.startsWith(ClientConfig.KEY_PREFIX)) {
                String id = key.substring(ClientConfig.KEY_PREFIX.length());
                put(clients, id, value == null ? null : mapper.readValue(value, ClientConfig.class));
            } else if (key.startsWith(ConnectionConfig.KEY_PREFIX)) {
                String name = key.substring(ConnectionConfig.KEY_PREFIX.length());
                put(connections, name, value == null ? null : mapper.readValue(value, ConnectionConfig.class));
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
}
