package dev.latchkey.delivery.testing;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.latchkey.common.testing.LocalServers;
import dev.latchkey.common.testing.TcpProxy;

/**
 * Starts what the delivery tests need around the real local servers: the Twilio fake, a proxy in front of the SMTP
 * sink (so a test can take SMTP down), and topics of this run's own (suffixed), so reruns and other modules' tests
 * never see each other's events. One instance for the whole module (global scope): one Quarkus start.
 */
public class DeliveryTestResource implements QuarkusTestResourceLifecycleManager {

    /** A sender with a low rate limit, for the rate-limit test. */
    public static final String SLOW_SENDER = "MG00000000000000000000000000slow";

    private TestServers servers;

    @Override
    public Map<String, String> start() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        TestServers.Topics topics = new TestServers.Topics("test.otp.delivery.sms." + run,
                "test.otp.delivery.email." + run, "test.otp.delivery.sms.retry." + run,
                "test.otp.delivery.email.retry." + run, "test.otp.delivery.dlq." + run,
                "test.otp.delivery.status." + run);
        String bootstrap = LocalServers.kafkaBootstrap();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topics.sms(), 3, (short) 1),
                    new NewTopic(topics.email(), 3, (short) 1), new NewTopic(topics.smsRetry(), 3, (short) 1),
                    new NewTopic(topics.emailRetry(), 3, (short) 1), new NewTopic(topics.dlq(), 1, (short) 1),
                    new NewTopic(topics.status(), 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
            TwilioFake twilio = new TwilioFake();
            TcpProxy smtp = new TcpProxy("127.0.0.1", LocalServers.smtpPort());
            smtp.open();
            servers = new TestServers(twilio, smtp, topics, new TopicCollector(bootstrap, topics.status()),
                    new TopicCollector(bootstrap, topics.dlq()));
        } catch (Exception e) {
            throw new IllegalStateException("could not prepare the delivery test servers", e);
        }
        return Map.ofEntries(
                Map.entry("latchkey.delivery.topics.sms", topics.sms()),
                Map.entry("latchkey.delivery.topics.email", topics.email()),
                Map.entry("latchkey.delivery.topics.sms-retry", topics.smsRetry()),
                Map.entry("latchkey.delivery.topics.email-retry", topics.emailRetry()),
                Map.entry("latchkey.delivery.topics.dlq", topics.dlq()),
                Map.entry("latchkey.delivery.topics.status", topics.status()),
                Map.entry("latchkey.delivery.group", "delivery-test-" + run),
                Map.entry("latchkey.delivery.twilio.api-endpoint", servers.twilio().endpoint()),
                Map.entry("latchkey.delivery.twilio.status-callback-url",
                        "https://delivery.latchkey.test/twilio/status"),
                Map.entry("latchkey.delivery.twilio.sender-rates.\"" + SLOW_SENDER + "\"", "2"),
                Map.entry("latchkey.delivery.retry.initial-backoff", "300ms"),
                Map.entry("latchkey.delivery.retry.max-backoff", "1s"),
                Map.entry("latchkey.delivery.retry.stop-before-expiry", "2s"),
                // A claim left "calling" is declared dead after this (2 minutes in service).
                Map.entry("latchkey.delivery.ledger.call-timeout", "4s"),
                Map.entry("quarkus.mailer.host", "127.0.0.1"),
                Map.entry("quarkus.mailer.port", Integer.toString(servers.smtp().port())));
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(servers,
                new TestInjector.AnnotatedAndMatchesType(DeliveryServers.class, TestServers.class));
    }

    @Override
    public void stop() {
        if (servers == null) {
            return;
        }
        servers.status().close();
        servers.deadLetters().close();
        servers.twilio().close();
        servers.smtp().close();
        TestServers.Topics t = servers.topics();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                LocalServers.kafkaBootstrap()))) {
            admin.deleteTopics(List.of(t.sms(), t.email(), t.smsRetry(), t.emailRetry(), t.dlq(), t.status()))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // The topics are this run's own; a leftover does no harm.
        }
    }
}
