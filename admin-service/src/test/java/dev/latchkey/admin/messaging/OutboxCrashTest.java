package dev.latchkey.admin.messaging;

import static dev.latchkey.admin.support.Api.admin;
import static dev.latchkey.admin.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

import dev.latchkey.admin.support.AdminTestServers;
import dev.latchkey.admin.support.ConfigTopic;
import dev.latchkey.admin.support.OutboxTable;
import dev.latchkey.common.config.ConfigTopicConfig;

/**
 * The publish step dies, and the change still arrives: the API commits the change with its outbox record, the relay
 * fails (before Kafka has it, or after Kafka has it but before the outbox is cleared), and once the relay works
 * again the record is on the topic and the outbox is empty.
 */
@QuarkusTest
@WithTestResource(AdminTestServers.class)
class OutboxCrashTest {

    @Inject
    ConfigTopicConfig topic;

    /** The real producer, with a switch that makes the relay's publish step die at a chosen point. */
    static class DyingProducer extends ConfigTopicProducer {

        enum Death {
            NONE, BEFORE_SEND, AFTER_SEND
        }

        volatile Death death = Death.NONE;
        private final ConfigTopicProducer real;

        DyingProducer(ConfigTopicConfig config) {
            super(config);
            this.real = new ConfigTopicProducer(config);
        }

        @Override
        public Future<RecordMetadata> send(String key, String value) {
            if (death == Death.BEFORE_SEND) {
                throw new IllegalStateException("relay killed before sending");
            }
            return real.send(key, value);
        }

        @Override
        public RecordMetadata await(Future<RecordMetadata> sent, Duration timeout)
                throws InterruptedException, ExecutionException, TimeoutException {
            RecordMetadata m = real.await(sent, timeout);
            if (death == Death.AFTER_SEND) {
                throw new IllegalStateException("relay killed after Kafka acknowledged, before the outbox delete");
            }
            return m;
        }

        @Override
        public void reset() {
            real.reset();
        }

        @Override
        public void ensureTopic() throws InterruptedException, ExecutionException, TimeoutException {
            real.ensureTopic();
        }
    }

    @Test
    void aChangeCommittedWhileThePublisherIsDeadArrivesWhenItIsBack() throws Exception {
        DyingProducer producer = new DyingProducer(topic);
        QuarkusMock.installMockForType(producer, ConfigTopicProducer.class);
        producer.death = DyingProducer.Death.BEFORE_SEND;

        String name = unique("crash");
        admin().body(Map.of("name", name, "strategy", "sms")).post("/api/v2/connections").then().statusCode(201);
        admin().get("/api/v2/connections/" + name).then().statusCode(200).body("name", equalTo(name));
        // Committed, queued, not published: the relay keeps failing on it.
        assertEquals(1, OutboxTable.rows("connection:" + name));
        Thread.sleep(2000);
        assertTrue(ConfigTopic.of("connection:" + name).isEmpty(), "nothing reached the topic while dead");
        assertEquals(1, OutboxTable.rows("connection:" + name), "the change waits in the outbox");

        producer.death = DyingProducer.Death.NONE;
        ConfigTopic.awaitValue("connection:" + name, v -> v.contains(name));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> OutboxTable.rows("connection:" + name) == 0);
    }

    @Test
    void aRelayDyingAfterKafkaAcknowledgedRepublishesAndLosesNothing() throws Exception {
        DyingProducer producer = new DyingProducer(topic);
        QuarkusMock.installMockForType(producer, ConfigTopicProducer.class);
        producer.death = DyingProducer.Death.AFTER_SEND;

        String name = unique("half");
        admin().body(Map.of("name", name, "strategy", "email")).post("/api/v2/connections").then().statusCode(201);
        // Kafka has it (maybe several times: each failed attempt resent it) but the outbox still holds it.
        ConfigTopic.awaitValue("connection:" + name, v -> v.contains(name));
        Thread.sleep(1000);
        assertEquals(1, OutboxTable.rows("connection:" + name));

        producer.death = DyingProducer.Death.NONE;
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> OutboxTable.rows("connection:" + name) == 0);
        var records = ConfigTopic.of("connection:" + name);
        assertTrue(records.size() >= 2, "sent again after the crash: " + records.size());
        assertTrue(records.stream().allMatch(r -> r.value().equals(records.get(0).value())),
                "every copy is the same whole record, so the repeat is harmless on a compacted topic");
    }
}
