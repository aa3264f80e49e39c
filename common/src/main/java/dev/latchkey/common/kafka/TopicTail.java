package dev.latchkey.common.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.ToLongFunction;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows one topic without a consumer group, on a daemon thread of its own: every partition is assigned to this
 * process, nothing is committed, and each instance of a service reads for itself (the config view replays the whole
 * compacted config topic; admin-service's console shows the last few delivery outcomes). When Kafka is away or the
 * topic is missing it says why ({@link #lastError()}) and tries again after {@link Settings#retryAfter()}, from the
 * start position again.
 */
public final class TopicTail {

    /** What is done with the records, on the tail's thread; keep it quick. */
    public interface Reader {

        /** One record; {@code value} is null for a tombstone. */
        void accept(String key, byte[] value, long offset);

        /** Called once, when every partition has been read up to where it ended when the tail first connected. */
        default void caughtUp() {
        }

        /** The tail lost Kafka or the topic and will try again; {@code why} has no secret in it. */
        default void failed(String why) {
        }
    }

    /** Where reading starts in each partition. */
    public sealed interface Start {

        /** The whole partition, oldest first. */
        Start BEGINNING = new Last(Long.MAX_VALUE);

        /** The last {@code records} of each partition (fewer when it holds fewer). */
        static Start last(long records) {
            if (records < 0) {
                throw new IllegalArgumentException("records must not be negative");
            }
            return new Last(records);
        }

        record Last(long records) implements Start {
        }
    }

    /**
     * @param clientId the Kafka client id, also the thread's name
     * @param kafka further consumer settings (security protocol, SASL, TLS...); a {@code group.id} is dropped
     */
    public record Settings(String topic, String bootstrapServers, String clientId, Map<String, Object> kafka,
            Start start, Duration pollTimeout, Duration retryAfter) {

        public Settings {
            Objects.requireNonNull(topic);
            Objects.requireNonNull(bootstrapServers);
            Objects.requireNonNull(start);
            kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
        }
    }

    private final Settings settings;
    private final Reader reader;
    private final Thread thread;

    private volatile boolean stopping;
    private volatile boolean caughtUp;
    private volatile String lastError;
    private volatile KafkaConsumer<String, byte[]> consumer;

    private TopicTail(Settings settings, Reader reader) {
        this.settings = settings;
        this.reader = reader;
        this.lastError = "waiting for Kafka at " + settings.bootstrapServers();
        this.thread = Thread.ofPlatform().daemon().name(settings.clientId()).unstarted(this::run);
    }

    /** Starts following {@code settings.topic()}. */
    public static TopicTail follow(Settings settings, Reader reader) {
        TopicTail tail = new TopicTail(settings, reader);
        tail.thread.start();
        return tail;
    }

    /** True once the records that were on the topic when the tail first connected have all been read. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Why the tail is not caught up yet, or null once it is. */
    public String lastError() {
        return lastError;
    }

    /** Stops the thread (waits for it up to {@code wait}). */
    public void stop(Duration wait) {
        stopping = true;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first offset to read in a partition holding {@code [begin, end)}. */
    static long startOffset(Start start, long begin, long end) {
        long last = ((Start.Last) start).records();
        return last >= end - begin ? begin : end - last;
    }

    /** Whether every partition's position has reached the end it had when reading started. */
    static boolean reached(Map<TopicPartition, Long> ends, ToLongFunction<TopicPartition> position) {
        return ends.entrySet().stream().allMatch(e -> position.applyAsLong(e.getKey()) >= e.getValue());
    }

    private void run() {
        while (!stopping) {
            try (KafkaConsumer<String, byte[]> c = newConsumer()) {
                consumer = c;
                read(c);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                String why = describe(e);
                if (!caughtUp) {
                    lastError = why;
                }
                reader.failed(why);
                try {
                    Thread.sleep(settings.retryAfter());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void read(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> partitions = c.partitionsFor(settings.topic(), Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + settings.topic() + " does not exist");
        }
        c.assign(partitions);
        Map<TopicPartition, Long> begin = c.beginningOffsets(partitions, Duration.ofSeconds(10));
        Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(10));
        for (TopicPartition tp : partitions) {
            c.seek(tp, startOffset(settings.start(), begin.getOrDefault(tp, 0L), end.getOrDefault(tp, 0L)));
        }
        if (!caughtUp) {
            lastError = "replaying " + settings.topic();
        }
        while (!stopping) {
            for (ConsumerRecord<String, byte[]> r : c.poll(settings.pollTimeout())) {
                reader.accept(r.key(), r.value(), r.offset());
            }
            if (!caughtUp && reached(end, c::position)) {
                caughtUp = true;
                lastError = null;
                reader.caughtUp();
            }
        }
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        Properties p = new Properties();
        p.putAll(settings.kafka());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG); // every instance reads the whole topic: no group
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
                Long.toString(Math.max(2000, settings.retryAfter().toMillis())));
        return new KafkaConsumer<>(p);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
