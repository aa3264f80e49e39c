package dev.latchkey.admin.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import dev.latchkey.common.config.ConfigTopicConfig;

/**
 * The producer of {@code latchkey.config}: idempotent, {@code acks=all}, String keys and JSON values (null for a
 * tombstone). Only the {@link ConfigRelay} uses it, from its own thread.
 */
@ApplicationScoped
public class ConfigTopicProducer {

    private static final Logger LOG = Logger.getLogger(ConfigTopicProducer.class);

    private final ConfigTopicConfig topic;
    private KafkaProducer<String, String> producer;

    public ConfigTopicProducer(ConfigTopicConfig topic) {
        this.topic = topic;
    }

    public String topic() {
        return topic.name();
    }

    /** Sends one record; the future completes when every in-sync replica has it. */
    public synchronized Future<RecordMetadata> send(String key, String value) {
        if (producer == null) {
            producer = newProducer();
        }
        return producer.send(new ProducerRecord<>(topic.name(), key, value));
    }

    /** Waits for the acknowledgement of a send. */
    public RecordMetadata await(Future<RecordMetadata> sent, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        return sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Drops the producer after a failed batch; the next send starts a fresh one. */
    public synchronized void reset() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    /**
     * Makes sure the topic exists and is compacted: creates it (one partition, so every record keeps its order)
     * when it is missing, and says so loudly when an existing one is not compacted.
     */
    public void ensureTopic() throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, topic.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "admin-config-topic",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
            try {
                Config config = admin.describeConfigs(List.of(resource)).all().get(15, TimeUnit.SECONDS)
                        .get(resource);
                var policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
                if (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                    LOG.errorf("topic %s has cleanup.policy=%s: it must be compacted, or services starting later "
                            + "lose deleted and old config", topic.name(), policy == null ? "?" : policy.value());
                }
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            NewTopic newTopic = new NewTopic(topic.name(), Optional.of(1), Optional.empty()).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0"));
            try {
                admin.createTopics(List.of(newTopic)).all().get(15, TimeUnit.SECONDS);
                LOG.infof("created compacted topic %s", topic.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    private KafkaProducer<String, String> newProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, topic.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "admin-config-relay");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "25000");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(p);
    }

    @PreDestroy
    void close() {
        reset();
    }
}
