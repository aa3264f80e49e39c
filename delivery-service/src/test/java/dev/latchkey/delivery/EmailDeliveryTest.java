package dev.latchkey.delivery;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.config.ConnectionConfig.Template;
import dev.latchkey.common.event.Channel;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.testing.LocalServers;
import dev.latchkey.delivery.store.DeliveryLedger;
import dev.latchkey.delivery.testing.DeliveryFixtures;
import dev.latchkey.delivery.testing.DeliveryServers;
import dev.latchkey.delivery.testing.DeliveryTestResource;
import dev.latchkey.delivery.testing.SmtpSink;
import dev.latchkey.delivery.testing.SmtpSink.Mail;
import dev.latchkey.delivery.testing.TestServers;

/** Email through quarkus-mailer to the local SMTP sink (GreenMail), through a proxy a test can take down. */
@QuarkusTest
@WithTestResource(value = DeliveryTestResource.class, scope = TestResourceScope.GLOBAL)
class EmailDeliveryTest {

    @DeliveryServers
    TestServers servers;

    @Inject
    DeliveryFixtures fx;

    @Inject
    DeliveryLedger ledger;

    /** A connection with the default templates, From login@acme.test, through the service's mailer. */
    private ConnectionConfig loginConnection() {
        return fx.publish(DeliveryFixtures.email(DeliveryFixtures.unique("email"), Map.of(), "login@acme.test"));
    }

    private static Mail awaitMail(String to) {
        // The sink lists a message as soon as it arrives; wait until it is readable in full.
        await().atMost(Duration.ofSeconds(30)).until(() -> SmtpSink.messagesTo(to).stream()
                .anyMatch(m -> !m.subject().isEmpty() && m.text() != null && m.html() != null));
        List<Mail> mails = SmtpSink.messagesTo(to);
        assertThat(mails, hasSize(1));
        return mails.get(0);
    }

    @Test
    void theDefaultTemplateHasSubjectTextAndHtml() {
        ConnectionConfig c = fx.publish(DeliveryFixtures.email(DeliveryFixtures.unique("email"), Map.of(),
                "Acme <login@acme.test>"));
        String to = DeliveryFixtures.email();
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "734211", "en", Duration.ofMinutes(5));
        fx.send(servers.topics().email(), e);

        JsonNode sent = fx.awaitStatus(servers, e.eventId(), "sent");
        Mail mail = awaitMail(to);
        assertThat(mail.subject(), equalTo("Your verification code"));
        assertThat(mail.headers().get("to"), containsString(to));
        assertThat(mail.headers().get("from"), containsString("login@acme.test"));
        assertThat(mail.text(), allOf(containsString("Your verification code is: 734211"),
                containsString("expires in 5 minutes")));
        assertThat(mail.html(), containsString("<strong>734211</strong>"));
        assertThat(sent.path("provider").asText(), equalTo("smtp"));
        assertThat(sent.path("provider_id").asText(), equalTo("<" + e.eventId() + "@latchkey>"));
        assertThat(mail.headers().get("message-id"), equalTo("<" + e.eventId() + "@latchkey>"));
    }

    @Test
    void theTemplateFollowsTheEventsLanguage() {
        ClientConfig app = fx.client("Bibliothèque");
        ConnectionConfig c = fx.publish(DeliveryFixtures.email(DeliveryFixtures.unique("email"), Map.of(
                "default", new Template("Your {{ application.name }} code", "Code: {{ code }}",
                        "<p>Code: <b>{{ code }}</b></p>"),
                "fr", new Template("Votre code {{ application.name }}", "Votre code : {{ code }} ({{ email }})",
                        "<p>Votre code : <b>{{ code }}</b></p>"),
                "fr-CA", new Template("Votre code (Québec)", "Code québécois : {{ code }}", null)),
                null));
        String toFr = DeliveryFixtures.email();
        String toCa = DeliveryFixtures.email();
        String toEn = DeliveryFixtures.email();
        DeliveryEvent fr = fx.codeEvent(app.clientId(), c, toFr, "510510", "fr-BE", Duration.ofMinutes(5));
        DeliveryEvent ca = fx.codeEvent(app.clientId(), c, toCa, "620620", "fr-CA", Duration.ofMinutes(5));
        DeliveryEvent en = fx.codeEvent(app.clientId(), c, toEn, "730730", "en-US", Duration.ofMinutes(5));
        List.of(fr, ca, en).forEach(e -> fx.send(servers.topics().email(), e));

        Mail mailFr = awaitMail(toFr);
        assertThat(mailFr.subject(), equalTo("Votre code Bibliothèque"));
        assertThat(mailFr.text(), equalTo("Votre code : 510510 (" + toFr + ")"));
        assertThat(mailFr.html(), equalTo("<p>Votre code : <b>510510</b></p>"));
        Mail mailCa = awaitMail(toCa);
        assertThat(mailCa.subject(), equalTo("Votre code (Québec)"));
        assertThat(mailCa.text(), equalTo("Code québécois : 620620"));
        // No HTML in the template: the HTML part is made from the text.
        assertThat(mailCa.html(), allOf(startsWith("<p>"), containsString("Code québécois : 620620")));
        Mail mailEn = awaitMail(toEn);
        assertThat(mailEn.subject(), equalTo("Your Bibliothèque code"));
        assertThat(mailEn.text(), equalTo("Code: 730730"));
        // The service's default From address.
        assertThat(mailEn.headers().get("from"), containsString("no-reply@latchkey.local"));
    }

    @Test
    void aMagicLinkEventRendersTheLink() {
        ConnectionConfig c = loginConnection();
        String to = DeliveryFixtures.email();
        String link = "https://login.acme.test/passwordless/verify_redirect?verification_code=991199&state=x";
        DeliveryEvent e = fx.linkEvent("client-x", c, to, "991199", link, "en", Duration.ofMinutes(5));
        fx.send(servers.topics().email(), e);

        Mail mail = awaitMail(to);
        assertThat(mail.subject(), equalTo("Your sign-in link"));
        assertThat(mail.text(), containsString(link));
        assertThat(mail.html(), containsString("href=\"" + link + "\""));
    }

    @Test
    void smtpDownThenUpDeliversAfterRecovery() throws Exception {
        ConnectionConfig c = loginConnection();
        String to = DeliveryFixtures.email();
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "454545", "en", Duration.ofMinutes(5));
        servers.smtp().shut();
        try {
            fx.send(servers.topics().email(), e);
            JsonNode retrying = fx.awaitStatus(servers, e.eventId(), "retrying");
            assertThat(retrying.toString(), retrying.path("provider").asText(), equalTo("smtp"));
            assertThat(retrying.toString(), SmtpSink.messagesTo(to), hasSize(0));
        } finally {
            servers.smtp().open();
        }
        JsonNode sent = fx.awaitStatus(servers, e.eventId(), "sent");
        Mail mail = awaitMail(to);
        assertThat(mail.text(), containsString("454545"));
        assertThat(sent.path("attempt").asInt() > 1, equalTo(true));
        assertThat(fx.statusNames(servers, e.eventId()), not(hasItem("failed")));
    }

    /**
     * Issue 20 §2: SMTP down for 30 s lost 9 of 10 codes (six attempts, then the DLQ, while the code lived 300 s).
     * Retries go on until shortly before the code expires: each of ten codes in flight arrives once SMTP is back.
     */
    @Test
    void tenCodesInFlightThroughA30SecondSmtpOutageAreEachDeliveredOnce() throws Exception {
        ConnectionConfig c = loginConnection();
        List<DeliveryEvent> events = IntStream.range(0, 10).mapToObj(i -> fx.codeEvent("client-x", c,
                DeliveryFixtures.email(), "60606" + i, "en", Duration.ofMinutes(5))).toList();
        servers.smtp().shut();
        long cutAt = System.nanoTime();
        try {
            events.forEach(e -> fx.send(servers.topics().email(), e));
            events.forEach(e -> fx.awaitStatus(servers, e.eventId(), "retrying"));
            Thread.sleep(Math.max(0, Duration.ofSeconds(30).toMillis()
                    - Duration.ofNanos(System.nanoTime() - cutAt).toMillis()));
            for (DeliveryEvent e : events) {
                assertThat(SmtpSink.messagesTo(e.recipient()), hasSize(0));
                assertThat(fx.statusNames(servers, e.eventId()), not(hasItem("failed")));
            }
        } finally {
            servers.smtp().open();
        }
        for (DeliveryEvent e : events) {
            fx.awaitStatus(servers, e.eventId(), "sent");
            assertThat(awaitMail(e.recipient()).text(), containsString(fx.open(e)));
        }
        Thread.sleep(1500); // a second copy, if one were coming
        for (DeliveryEvent e : events) {
            assertThat(SmtpSink.messagesTo(e.recipient()), hasSize(1));
            List<String> names = fx.statusNames(servers, e.eventId());
            assertThat(names, not(hasItem("failed")));
            assertThat(names, not(hasItem("expired")));
            assertThat(fx.deadLetters(servers, e.eventId()), is(empty()));
        }
    }

    /** The code expiring while SMTP is down: status {@code expired}, no DLQ, and nothing sent after it. */
    @Test
    void aCodeThatExpiresWhileSmtpIsDownEndsExpiredAndIsNotSentLater() throws Exception {
        ConnectionConfig c = loginConnection();
        String to = DeliveryFixtures.email();
        // Retries stop 2 s before expiry here (stop-before-expiry): about 3 s of retrying.
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "717171", "en", Duration.ofSeconds(5));
        servers.smtp().shut();
        try {
            fx.send(servers.topics().email(), e);
            JsonNode expired = fx.awaitStatus(servers, e.eventId(), "expired");
            assertThat(expired.path("reason").asText(), containsString("stopped retrying"));
        } finally {
            servers.smtp().open();
        }
        Thread.sleep(3000); // past the code's expiry: a retry still queued would have sent by now
        assertThat(SmtpSink.messagesTo(to), hasSize(0));
        List<String> names = fx.statusNames(servers, e.eventId());
        assertThat(names.get(0), equalTo("retrying"));
        assertThat(names.get(names.size() - 1), equalTo("expired"));
        assertThat(names, not(hasItem("failed")));
        assertThat(names, not(hasItem("sent")));
        assertThat(fx.deadLetters(servers, e.eventId()), is(empty()));
    }

    /**
     * Issue 20 §4: a process killed during its SMTP call leaves the claim and no outcome. An SMTP server cannot be
     * asked whether it took the message, so after the claim's lease (4 s here) the email is sent again while the
     * code is valid: a second copy of a valid code is better than none.
     */
    @Test
    void anEmailWhoseSenderDiedDuringTheCallIsSentAfterTheLease() {
        ConnectionConfig c = loginConnection();
        String to = DeliveryFixtures.email();
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "929292", "en", Duration.ofMinutes(5));
        Instant claimedAt = Instant.now();
        ledger.claim(new DeliveryLedger.Subject(e.eventId(), "client-x", c.name(), Channel.EMAIL), 1,
                DeliveryLedger.Claiming.call("smtp", 0), claimedAt, Duration.ofMinutes(10)).await()
                .atMost(Duration.ofSeconds(5));
        fx.send(servers.topics().email(), e);

        // Before the lease ends the event waits ("retrying": another attempt is calling); a first look that comes
        // after it (a slow start) sends at once.
        JsonNode sent = fx.awaitStatus(servers, e.eventId(), "sent");
        assertThat(Duration.between(claimedAt, Instant.parse(sent.path("at").asText())).toMillis(),
                greaterThanOrEqualTo(4000L));
        assertThat(awaitMail(to).text(), containsString("929292"));
        assertThat(fx.statusNames(servers, e.eventId()), not(hasItem("failed")));
        assertThat(fx.deadLetters(servers, e.eventId()), is(empty()));
    }

    @Test
    void aConnectionsOwnSmtpServerIsUsedInsteadOfTheServicesMailer() {
        // The service's mailer goes through the proxy, shut here; the connection names the sink itself.
        String name = DeliveryFixtures.unique("email");
        ConnectionConfig c = fx.publish(new ConnectionConfig(name, "email", 6, 300, 3, false, true,
                "en", Map.of(), null, new ConnectionConfig.EmailSettings("own@acme.test",
                        new ConnectionConfig.Smtp("127.0.0.1", LocalServers.smtpPort(), null, null, false))));
        String to = DeliveryFixtures.email();
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "818181", "en", Duration.ofMinutes(5));
        servers.smtp().shut();
        try {
            fx.send(servers.topics().email(), e);
            JsonNode sent = fx.awaitStatus(servers, e.eventId(), "sent");
            assertThat(sent.path("attempt").asInt(), equalTo(1));
        } finally {
            servers.smtp().open();
        }
        Mail mail = awaitMail(to);
        assertThat(mail.text(), containsString("818181"));
        assertThat(mail.headers().get("from"), containsString("own@acme.test"));
    }
}
