package dev.latchkey.delivery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.delivery.testing.DeliveryFixtures;
import dev.latchkey.delivery.testing.DeliveryServers;
import dev.latchkey.delivery.testing.DeliveryTestResource;
import dev.latchkey.delivery.testing.TestServers;
import dev.latchkey.delivery.testing.TwilioFake;
import dev.latchkey.delivery.testing.TwilioFake.Answer;

/**
 * Failover along a connection's route, with the real twilio-java client against the Twilio fake: a connection that
 * names both a Messaging Service and a From number sends through the service first and the number next.
 */
@QuarkusTest
@WithTestResource(value = DeliveryTestResource.class, scope = TestResourceScope.GLOBAL)
class FailoverTest {

    private static final String FROM = "+14155550177";

    @DeliveryServers
    TestServers servers;

    @Inject
    DeliveryFixtures fx;

    private String serviceSid;

    private ConnectionConfig bothSenders() {
        String name = DeliveryFixtures.unique("sms");
        serviceSid = "MG" + DeliveryFixtures.hex(16);
        ConnectionConfig.SmsSettings s = new ConnectionConfig.SmsSettings(DeliveryFixtures.accountSid(),
                fx.sealToken(name, DeliveryFixtures.secret()), ConnectionConfig.SmsSettings.SOURCE_MESSAGING_SERVICE,
                serviceSid, FROM);
        return fx.publish(DeliveryFixtures.sms(name, Map.of(), s));
    }

    private TwilioFake twilio() {
        return servers.twilio();
    }

    private DeliveryEvent send(ConnectionConfig c, String to) {
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "246810", "en", Duration.ofMinutes(5));
        fx.send(servers.topics().sms(), e);
        return e;
    }

    @Test
    void theMessagingServiceAnswering503HandsTheMessageToTheFromNumberAtOnce() {
        ConnectionConfig c = bothSenders();
        String to = DeliveryFixtures.phone();
        twilio().script(to, Answer.error(503, 20503, "Service Unavailable"));
        DeliveryEvent e = send(c, to);

        JsonNode sent = fx.awaitStatus(servers, e.eventId(), "sent");
        List<TwilioFake.Request> requests = twilio().requestsTo(to);
        assertThat(requests, hasSize(2));
        assertThat(requests.get(0).field("MessagingServiceSid"), equalTo(serviceSid));
        assertThat(requests.get(1).field("From"), equalTo(FROM));
        assertThat(requests.get(1).form(), not(hasKey("MessagingServiceSid")));
        assertThat(twilio().messagesTo(to), hasSize(1));
        assertThat(sent.path("provider_id").asText(), equalTo(twilio().messagesTo(to).get(0).sid()));
        // At once, in the same attempt: no retry in between.
        assertThat(sent.path("attempt").asInt(), equalTo(1));
        assertThat(fx.statusNames(servers, e.eventId()), contains("failed_over", "sent"));
        JsonNode failedOver = fx.statuses(servers, e.eventId()).get(0);
        assertThat(failedOver.path("reason").asText(), containsString("step 0 (twilio) → step 1 (twilio)"));
        assertThat(failedOver.path("reason").asText(), containsString("503"));
    }

    @Test
    void aFailureOfTheSenderFailsOverButOneOfThePersonDoesNot() {
        ConnectionConfig c = bothSenders();
        String blocked = DeliveryFixtures.phone();
        twilio().script(blocked, Answer.error(400, 21606, "The From phone number is not a valid, SMS-capable number"));
        String unsubscribed = DeliveryFixtures.phone();
        twilio().script(unsubscribed, Answer.error(400, 21610, "Attempt to send to unsubscribed recipient"));
        DeliveryEvent viaFrom = send(c, blocked);
        DeliveryEvent stopped = send(c, unsubscribed);

        fx.awaitStatus(servers, viaFrom.eventId(), "sent");
        assertThat(twilio().messagesTo(blocked), hasSize(1));
        assertThat(twilio().messagesTo(blocked).get(0).field("From"), equalTo(FROM));
        assertThat(fx.statusNames(servers, viaFrom.eventId()), contains("failed_over", "sent"));

        JsonNode failed = fx.awaitStatus(servers, stopped.eventId(), "failed");
        assertThat(failed.path("reason").asText(), containsString("21610"));
        fx.awaitDeadLetter(servers, stopped.eventId());
        assertThat(twilio().requestsTo(unsubscribed), hasSize(1));
        assertThat(fx.statusNames(servers, stopped.eventId()), contains("failed"));
    }

    @Test
    void bothSendersThrottledRetryFromTheFirstStepAfterTheBackoff() {
        ConnectionConfig c = bothSenders();
        String to = DeliveryFixtures.phone();
        Answer throttled = Answer.error(429, 20429, "Too Many Requests");
        twilio().script(to, throttled, throttled);
        DeliveryEvent e = send(c, to);

        JsonNode sent = fx.awaitStatus(servers, e.eventId(), "sent");
        List<TwilioFake.Request> requests = twilio().requestsTo(to);
        assertThat(requests, hasSize(3));
        assertThat(requests.get(2).field("MessagingServiceSid"), equalTo(serviceSid));
        assertThat(twilio().messagesTo(to), hasSize(1));
        assertThat(sent.path("attempt").asInt(), equalTo(2));
        assertThat(fx.statusNames(servers, e.eventId()), contains("failed_over", "retrying", "sent"));
        assertThat(fx.deadLetters(servers, e.eventId()), is(empty()));
    }
}
