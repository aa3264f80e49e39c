package dev.latchkey.admin.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/** Reads this run's config topic from the beginning, as a service's config view would. */
public final class ConfigTopic {

    /** One record: a null value is a tombstone. */
    public record Rec(String key, String value, long offset) {
    }

    private static KafkaConsumer<String, String> consumer;
    private static final List<Rec> SEEN = new ArrayList<>();

    private ConfigTopic() {
    }

    /** Every record on the topic so far. */
    public static synchronized List<Rec> all() {
        KafkaConsumer<String, String> c = consumer();
        if (c == null) {
            return List.of();
        }
        while (true) {
            var records = c.poll(Duration.ofMillis(300));
            if (records.isEmpty()) {
                break;
            }
            for (ConsumerRecord<String, String> r : records) {
                SEEN.add(new Rec(r.key(), r.value(), r.offset()));
            }
        }
        return List.copyOf(SEEN);
    }

    public static List<Rec> of(String key) {
        return all().stream().filter(r -> key.equals(r.key())).toList();
    }

    /** Waits until the latest record of {@code key} satisfies {@code test}, and returns it. */
    public static Rec await(String key, Predicate<Rec> test, Duration within) {
        Rec[] found = new Rec[1];
        Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<Rec> recs = of(key);
            if (recs.isEmpty() || !test.test(recs.get(recs.size() - 1))) {
                return false;
            }
            found[0] = recs.get(recs.size() - 1);
            return true;
        });
        return found[0];
    }

    public static Rec awaitValue(String key, Predicate<String> value) {
        return await(key, r -> r.value() != null && value.test(r.value()), Duration.ofSeconds(20));
    }

    public static Rec awaitTombstone(String key) {
        return await(key, r -> r.value() == null, Duration.ofSeconds(20));
    }

    private static KafkaConsumer<String, String> consumer() {
        if (consumer != null) {
            return consumer;
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, AdminTestServers.kafkaBootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p);
        var partitions = c.partitionsFor(AdminTestServers.TOPIC, Duration.ofSeconds(10));
        if (partitions == null || partitions.isEmpty()) {
            c.close();
            return null; // the relay has not created it yet
        }
        List<TopicPartition> tps = partitions.stream().map(i -> new TopicPartition(i.topic(), i.partition()))
                .toList();
        c.assign(tps);
        c.seekToBeginning(tps);
        consumer = c;
        return c;
    }
}
