package dev.latchkey.common.testing;

import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;

/** Publishes client and connection records to the config topic the way admin-service does, for tests. */
public final class ConfigTopicPublisher implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String topic;
    private final KafkaProducer<String, String> producer;

    public ConfigTopicPublisher(String bootstrap, String topic) {
        this.topic = topic;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p);
    }

    public ConfigTopicPublisher() {
        this(LocalServers.kafkaBootstrap(), "latchkey.config");
    }

    public void client(ClientConfig client) {
        send(ClientConfig.KEY_PREFIX + client.clientId(), json(client));
    }

    public void connection(ConnectionConfig connection) {
        send(ConnectionConfig.KEY_PREFIX + connection.name(), json(connection));
    }

    /** A tombstone: the record's key is deleted from every view. */
    public void delete(String key) {
        send(key, null);
    }

    public void send(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish " + key + " to " + topic, e);
        }
    }

    private static String json(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
