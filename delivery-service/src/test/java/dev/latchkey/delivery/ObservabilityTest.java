package dev.latchkey.delivery;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.testing.Metrics;
import dev.latchkey.delivery.testing.DeliveryFixtures;
import dev.latchkey.delivery.testing.DeliveryServers;
import dev.latchkey.delivery.testing.DeliveryTestResource;
import dev.latchkey.delivery.testing.TestServers;
import dev.latchkey.delivery.testing.TopicCollector.Received;
import dev.latchkey.delivery.testing.TwilioFake.Answer;

/** The trace of a start crosses Kafka into the provider call; the metrics ops need, with no recipient in them. */
@QuarkusTest
@WithTestResource(value = DeliveryTestResource.class, scope = TestResourceScope.GLOBAL)
class ObservabilityTest {

    private static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("latchkey.event_id");

    @DeliveryServers
    TestServers servers;

    @Inject
    DeliveryFixtures fx;

    @Inject
    InMemorySpanExporter spans;

    private ConnectionConfig twilioConnection() {
        String name = DeliveryFixtures.unique("sms");
        return fx.publish(DeliveryFixtures.sms(name, Map.of(), fx.twilioFrom(name, DeliveryFixtures.accountSid(),
                DeliveryFixtures.secret(), "+14155550100")));
    }

    @Test
    void theTraceInTheRecordHeadersContinuesToTheTwilioCallAndTheStatusEvent() {
        ConnectionConfig c = twilioConnection();
        String to = DeliveryFixtures.phone();
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "731905", "en", Duration.ofMinutes(5));
        String traceId = DeliveryFixtures.hex(16);
        String producerSpan = DeliveryFixtures.hex(8);
        fx.send(servers.topics().sms(), e, Map.of("traceparent", "00-" + traceId + "-" + producerSpan + "-01",
                DeliveryEvent.REQUEST_ID_HEADER, "req-" + e.eventId()));
        fx.awaitStatus(servers, e.eventId(), "sent");

        SpanData send = await().atMost(Duration.ofSeconds(10)).until(() -> providerSpan(e.eventId()),
                notNullValue());
        assertThat(send.getName(), equalTo("twilio send"));
        assertThat(send.getKind(), equalTo(SpanKind.CLIENT));
        assertThat("the provider call is part of the start's trace", send.getTraceId(), equalTo(traceId));
        // Its parent is this service's consumer span, itself the child of the producer span from the headers.
        SpanData consumer = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(send.getParentSpanId())).findFirst().orElseThrow();
        assertThat(consumer.getKind(), equalTo(SpanKind.CONSUMER));
        assertThat(consumer.getParentSpanId(), equalTo(producerSpan));
        // Nothing in any span of the trace names the recipient or the code.
        for (SpanData s : spans.getFinishedSpanItems()) {
            if (s.getTraceId().equals(traceId)) {
                assertThat(s.getAttributes().toString(), not(containsString(to.substring(1))));
                assertThat(s.getAttributes().toString(), not(containsString("731905")));
            }
        }
        // The status event goes on in the same trace.
        Received status = servers.status().matching(r -> e.eventId().equals(r.key())).get(0);
        assertThat(status.header("traceparent"), startsWith("00-" + traceId + "-"));
    }

    private SpanData providerSpan(String eventId) {
        List<SpanData> found = spans.getFinishedSpanItems().stream()
                .filter(s -> eventId.equals(s.getAttributes().get(EVENT_ID))).toList();
        return found.isEmpty() ? null : found.get(0);
    }

    @Test
    void sendsAreCountedByChannelProviderAndOutcomeWithoutRecipients() {
        ConnectionConfig c = twilioConnection();
        Map<String, String> sent = Map.of("channel", "sms", "provider", "twilio", "status", "sent");
        Map<String, String> dead = Map.of("channel", "sms", "reason", "failed");
        double sentBefore = Metrics.value("latchkey_delivery_outcomes_total", sent);
        double deadBefore = Metrics.value("latchkey_delivery_dead_lettered_total", dead);

        String to = DeliveryFixtures.phone();
        DeliveryEvent ok = fx.codeEvent("client-x", c, to, "552310", "en", Duration.ofMinutes(5));
        fx.send(servers.topics().sms(), ok);
        fx.awaitStatus(servers, ok.eventId(), "sent");
        String bad = DeliveryFixtures.phone();
        servers.twilio().script(bad, Answer.error(400, 21211, "The 'To' number is not a valid phone number."));
        DeliveryEvent invalid = fx.codeEvent("client-x", c, bad, "552311", "en", Duration.ofMinutes(5));
        fx.send(servers.topics().sms(), invalid);
        fx.awaitStatus(servers, invalid.eventId(), "failed");

        String scrape = Metrics.scrape();
        assertThat(Metrics.value(scrape, "latchkey_delivery_outcomes_total", sent),
                greaterThanOrEqualTo(sentBefore + 1));
        assertThat(Metrics.value(scrape, "latchkey_delivery_dead_lettered_total", dead),
                greaterThanOrEqualTo(deadBefore + 1));
        assertThat(Metrics.value(scrape, "latchkey_delivery_latency_seconds_count", Map.of("channel", "sms")),
                greaterThanOrEqualTo(1.0));
        // Consumer lag per partition, from the Kafka client's own metrics (what KEDA and alerts look at).
        assertThat(List.of(scrape.split("\n")).stream().map(l -> l.split("[{ ]")[0]).toList(),
                hasItem("kafka_consumer_fetch_manager_records_lag_max"));
        assertThat(scrape, not(containsString(to.substring(1))));
        assertThat(scrape, not(containsString(bad.substring(1))));
        assertThat(scrape, not(containsString(ok.eventId())));
    }
}
