package dev.latchkey.delivery;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
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
import dev.latchkey.delivery.testing.SmtpSink;
import dev.latchkey.delivery.testing.TestServers;

/**
 * Issue 20 §1 (the delivery side) and §6: an event is sent only while its code is the recipient's current one in
 * Redis, and only to an address the mailer takes as it is. Neither is an error: nothing is sent, nothing retried.
 */
@QuarkusTest
@WithTestResource(value = DeliveryTestResource.class, scope = TestResourceScope.GLOBAL)
class RevokedCodeTest {

    @DeliveryServers
    TestServers servers;

    @Inject
    DeliveryFixtures fx;

    private ConnectionConfig connection() {
        return fx.publish(DeliveryFixtures.email(DeliveryFixtures.unique("email"), Map.of(), "login@acme.test"));
    }

    /** A start that answered 503 took its code back; Kafka had the event all the same (an acknowledgement lost). */
    @Test
    void anEventWhoseCodeWasTakenBackIsRevokedAndNotSent() throws Exception {
        ConnectionConfig c = connection();
        String to = DeliveryFixtures.email();
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "303303", "en", Duration.ofMinutes(5));
        fx.sendWithoutCode(servers.topics().email(), e);

        JsonNode revoked = fx.awaitStatus(servers, e.eventId(), "revoked");
        assertThat(revoked.path("reason").asText(), containsString("no longer held"));
        Thread.sleep(1500); // a send, if one were coming
        assertThat(SmtpSink.messagesTo(to), hasSize(0));
        assertThat(fx.statusNames(servers, e.eventId()), equalTo(List.of("revoked")));
        assertThat(fx.deadLetters(servers, e.eventId()), is(empty()));
    }

    /**
     * The check is made before every attempt, not only the first: a code replaced while SMTP was down is not sent
     * when SMTP comes back; the newer one is, once.
     */
    @Test
    void aCodeReplacedWhileRetryingIsRevokedAndOnlyTheNewerOneArrives() {
        ConnectionConfig c = connection();
        String to = DeliveryFixtures.email();
        DeliveryEvent older = fx.codeEvent("client-x", c, to, "404404", "en", Duration.ofMinutes(5));
        DeliveryEvent newer = fx.codeEvent("client-x", c, to, "505505", "en", Duration.ofMinutes(5));
        servers.smtp().shut();
        try {
            fx.send(servers.topics().email(), older);
            fx.awaitStatus(servers, older.eventId(), "retrying");
            fx.issue(newer); // the newer start's write; its event comes later
        } finally {
            servers.smtp().open();
        }
        JsonNode revoked = fx.awaitStatus(servers, older.eventId(), "revoked");
        assertThat(revoked.path("reason").asText(), containsString("newer code"));
        fx.send(servers.topics().email(), newer);
        fx.awaitStatus(servers, newer.eventId(), "sent");
        await().atMost(Duration.ofSeconds(30)).until(() -> SmtpSink.messagesTo(to).stream()
                .anyMatch(m -> m.text() != null && m.text().contains("505505")));
        assertThat(SmtpSink.messagesTo(to), hasSize(1));
        assertThat(fx.statusNames(servers, older.eventId()), not(hasItem("sent")));
        assertThat(fx.deadLetters(servers, older.eventId()), is(empty()));
    }

    /**
     * Issue 20 §6: an event for an address otp-service accepted before it checked the mailer's rule ("a<b@…>", which
     * the mailer would send to b@…) fails once, permanently: no retry, and nothing reaches b@….
     */
    @Test
    void anAddressTheMailerWouldMisreadFailsOnceWithoutRetrying() throws Exception {
        ConnectionConfig c = connection();
        String other = DeliveryFixtures.email();
        String to = "a<" + other + ">";
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "606606", "en", Duration.ofMinutes(5));
        fx.send(servers.topics().email(), e);

        JsonNode failed = fx.awaitStatus(servers, e.eventId(), "failed");
        assertThat(failed.path("reason").asText(), containsString("not an address the mailer can send to"));
        Thread.sleep(1500);
        assertThat(SmtpSink.messagesTo(other), hasSize(0));
        assertThat(fx.statusNames(servers, e.eventId()), not(hasItem("retrying")));
    }
}
