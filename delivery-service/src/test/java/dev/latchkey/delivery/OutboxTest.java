package dev.latchkey.delivery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.delivery.testing.DeliveryFixtures;
import dev.latchkey.delivery.testing.DeliveryServers;
import dev.latchkey.delivery.testing.DeliveryTestResource;
import dev.latchkey.delivery.testing.TestServers;

/** A connection without Twilio credentials sends to the Redis outbox (active in the test profile). */
@QuarkusTest
@WithTestResource(value = DeliveryTestResource.class, scope = TestResourceScope.GLOBAL)
class OutboxTest {

    @DeliveryServers
    TestServers servers;

    @Inject
    DeliveryFixtures fx;

    @Test
    void smsWithoutTwilioCredentialsLandsInTheOutboxNewestFirst() {
        ConnectionConfig c = fx.publish(DeliveryFixtures.sms(DeliveryFixtures.unique("sms"), Map.of(), null));
        String to = DeliveryFixtures.phone();
        DeliveryEvent first = fx.codeEvent("client-o", c, to, "111111", "en", Duration.ofMinutes(5));
        fx.send(servers.topics().sms(), first);
        fx.awaitStatus(servers, first.eventId(), "sent");
        DeliveryEvent second = fx.codeEvent("client-o", c, to, "222222", "en", Duration.ofMinutes(5));
        fx.send(servers.topics().sms(), second);
        fx.awaitStatus(servers, second.eventId(), "sent");

        given().queryParam("to", to).when().get("/outbox/messages").then().statusCode(200)
                .body("$", hasSize(2))
                .body("body", contains("Your verification code is: 222222", "Your verification code is: 111111"))
                .body("event_id", contains(second.eventId(), first.eventId()))
                .body("[0].to", equalTo(to));
        if (!servers.twilio().requestsTo(to).isEmpty()) {
            throw new AssertionError("an outbox message went to Twilio");
        }
    }

    @Test
    void theOutboxNeedsAPhoneNumber() {
        given().when().get("/outbox/messages").then().statusCode(400).body("error", equalTo("bad.request"));
        given().queryParam("to", "not-a-number").when().get("/outbox/messages").then().statusCode(400)
                .body("error", equalTo("bad.phone_number"));
    }
}
