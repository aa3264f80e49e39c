package dev.latchkey.delivery;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

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
import dev.latchkey.delivery.messaging.DeliveryPublisher;
import dev.latchkey.delivery.store.DeliveryLedger;
import dev.latchkey.delivery.testing.DeliveryFixtures;
import dev.latchkey.delivery.testing.DeliveryServers;
import dev.latchkey.delivery.testing.DeliveryTestResource;
import dev.latchkey.delivery.testing.TestServers;
import dev.latchkey.delivery.testing.TopicCollector.Received;
import dev.latchkey.delivery.testing.TwilioFake;
import dev.latchkey.delivery.testing.TwilioFake.Answer;

/** SMS through the real twilio-java client against the local Twilio fake, from the run's own Kafka topics. */
@QuarkusTest
@WithTestResource(value = DeliveryTestResource.class, scope = TestResourceScope.GLOBAL)
class SmsDeliveryTest {

    @DeliveryServers
    TestServers servers;

    @Inject
    DeliveryFixtures fx;

    @Inject
    DeliveryLedger ledger;

    private String sid;
    private String token;

    private ConnectionConfig fromConnection(Map<String, Template> templates) {
        String name = DeliveryFixtures.unique("sms");
        sid = DeliveryFixtures.accountSid();
        token = DeliveryFixtures.secret();
        return fx.publish(DeliveryFixtures.sms(name, templates, fx.twilioFrom(name, sid, token, "+14155550100")));
    }

    private ConnectionConfig messagingServiceConnection(Map<String, Template> templates, String serviceSid) {
        String name = DeliveryFixtures.unique("sms");
        sid = DeliveryFixtures.accountSid();
        token = DeliveryFixtures.secret();
        return fx.publish(DeliveryFixtures.sms(name, templates,
                fx.twilioMessagingService(name, sid, token, serviceSid)));
    }

    private TwilioFake twilio() {
        return servers.twilio();
    }

    @Test
    void fromNumberSendsTheDefaultBodyWithValidityAndBasicAuth() {
        ConnectionConfig c = fromConnection(Map.of());
        String to = DeliveryFixtures.phone();
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "482913", "en", Duration.ofSeconds(120));
        fx.send(servers.topics().sms(), e);

        JsonNode sent = fx.awaitStatus(servers, e.eventId(), "sent");
        List<TwilioFake.Request> requests = twilio().requestsTo(to);
        assertThat(requests, hasSize(1));
        TwilioFake.Request r = requests.get(0);
        assertThat(r.path(), equalTo("/2010-04-01/Accounts/" + sid + "/Messages.json"));
        assertThat(r.field("Body"), equalTo("Your verification code is: 482913"));
        assertThat(r.field("From"), equalTo("+14155550100"));
        assertThat(r.form(), not(hasKey("MessagingServiceSid")));
        assertThat(r.field("StatusCallback"),
                equalTo("https://delivery.latchkey.test/twilio/status?event=" + e.eventId()));
        assertThat(Integer.parseInt(r.field("ValidityPeriod")),
                allOf(greaterThanOrEqualTo(90), lessThanOrEqualTo(120)));
        assertThat(r.authorization(), equalTo("Basic " + Base64.getEncoder()
                .encodeToString((sid + ":" + token).getBytes(StandardCharsets.UTF_8))));
        assertThat(sent.path("provider").asText(), equalTo("twilio"));
        assertThat(sent.path("provider_id").asText(), equalTo(r.sid()));
        assertThat(sent.path("segments").asInt(), equalTo(1));
        assertThat(sent.path("attempt").asInt(), equalTo(1));
        assertThat(sent.toString(), not(containsString("482913")));
    }

    @Test
    void messagingServiceTemplatesPerLanguageAndLegacyPlaceholder() {
        ClientConfig app = fx.client("Acme Books");
        ConnectionConfig c = messagingServiceConnection(Map.of(
                "default", new Template(null, "{{ application.name }} code: {{ code }}", null),
                "fr", new Template(null, "{% if request_language contains 'fr' %}Code {{ application.name }}"
                        + " : @@password@@{% endif %}", null),
                "pt-BR", new Template(null, "Seu código: {{ password }}", null)),
                "MG" + DeliveryFixtures.hex(16));
        String toFr = DeliveryFixtures.phone();
        String toPt = DeliveryFixtures.phone();
        String toDe = DeliveryFixtures.phone();
        DeliveryEvent fr = fx.codeEvent(app.clientId(), c, toFr, "111222", "fr-CA", Duration.ofMinutes(5));
        DeliveryEvent pt = fx.codeEvent(app.clientId(), c, toPt, "333444", "pt-BR", Duration.ofMinutes(5));
        DeliveryEvent de = fx.codeEvent(app.clientId(), c, toDe, "555666", "de", Duration.ofMinutes(5));
        fx.send(servers.topics().sms(), fr);
        fx.send(servers.topics().sms(), pt);
        fx.send(servers.topics().sms(), de);
        fx.awaitStatus(servers, fr.eventId(), "sent");
        fx.awaitStatus(servers, pt.eventId(), "sent");
        fx.awaitStatus(servers, de.eventId(), "sent");

        TwilioFake.Request r = twilio().messagesTo(toFr).get(0);
        assertThat(r.field("Body"), equalTo("Code Acme Books : 111222"));
        assertThat(r.field("MessagingServiceSid"), equalTo(c.sms().messagingServiceSid()));
        assertThat(r.form(), not(hasKey("From")));
        assertThat(twilio().messagesTo(toPt).get(0).field("Body"), equalTo("Seu código: 333444"));
        assertThat(twilio().messagesTo(toDe).get(0).field("Body"), equalTo("Acme Books code: 555666"));
    }

    @Test
    void tooManyRequestsThenCreatedSendsExactlyOnce() {
        ConnectionConfig c = fromConnection(Map.of());
        String to = DeliveryFixtures.phone();
        twilio().script(to, Answer.error(429, 20429, "Too Many Requests"));
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "902115", "en", Duration.ofMinutes(5));
        fx.send(servers.topics().sms(), e);

        JsonNode sent = fx.awaitStatus(servers, e.eventId(), "sent");
        assertThat(twilio().requestsTo(to), hasSize(2));
        assertThat(twilio().messagesTo(to), hasSize(1));
        assertThat(fx.statusNames(servers, e.eventId()), contains("retrying", "sent"));
        JsonNode retrying = fx.statuses(servers, e.eventId()).get(0);
        assertThat(retrying.path("reason").asText(), containsString("429"));
        assertThat(sent.path("attempt").asInt(), equalTo(2));
        assertThat(fx.deadLetters(servers, e.eventId()), is(empty()));
    }

    @Test
    void invalidNumberGoesToTheDeadLetterTopicWithoutRetry() throws Exception {
        ConnectionConfig c = fromConnection(Map.of());
        String to = DeliveryFixtures.phone();
        twilio().script(to, Answer.error(400, 21211, "The 'To' number is not a valid phone number."));
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "640021", "en", Duration.ofMinutes(5));
        fx.send(servers.topics().sms(), e);

        Received dead = fx.awaitDeadLetter(servers, e.eventId());
        assertThat(dead.header(DeliveryPublisher.DEAD_LETTER_REASON), containsString("21211"));
        assertThat(dead.header(DeliveryPublisher.DEAD_LETTER_TOPIC), equalTo(servers.topics().sms()));
        assertThat(dead.key(), equalTo(to));
        JsonNode failed = fx.awaitStatus(servers, e.eventId(), "failed");
        assertThat(failed.path("reason").asText(), containsString("21211"));
        // Longer than the first backoff: a retry would have come by now.
        Thread.sleep(1000);
        assertThat(twilio().requestsTo(to), hasSize(1));
        assertThat(fx.statusNames(servers, e.eventId()), contains("failed"));
    }

    /**
     * Server errors go on being retried until shortly before the code expires (2 s before here), then the event ends
     * {@code expired}: nothing more is sent, nothing is dead-lettered.
     */
    @Test
    void serverErrorsUntilTheCodeExpiresEndExpiredWithNothingMoreSent() throws Exception {
        ConnectionConfig c = fromConnection(Map.of());
        String to = DeliveryFixtures.phone();
        Answer unavailable = Answer.error(503, 20503, "Service Unavailable");
        twilio().script(to, java.util.Collections.nCopies(40, unavailable).toArray(Answer[]::new));
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "771100", "en", Duration.ofSeconds(5));
        fx.send(servers.topics().sms(), e);

        JsonNode expired = fx.awaitStatus(servers, e.eventId(), "expired");
        assertThat(expired.path("reason").asText(), allOf(containsString("stopped retrying"),
                containsString("503")));
        int calls = twilio().requestsTo(to).size();
        assertThat(calls, greaterThan(2));
        Thread.sleep(3000); // past the code's expiry
        assertThat(twilio().requestsTo(to), hasSize(calls));
        assertThat(twilio().messagesTo(to), is(empty()));
        List<String> names = fx.statusNames(servers, e.eventId());
        assertThat(names.subList(0, names.size() - 1).stream().distinct().toList(), contains("retrying"));
        assertThat(names.get(names.size() - 1), equalTo("expired"));
        assertThat(fx.deadLetters(servers, e.eventId()), is(empty()));
    }

    @Test
    void theSameEventTwiceIsSentOnce() {
        ConnectionConfig c = fromConnection(Map.of());
        String to = DeliveryFixtures.phone();
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "300400", "en", Duration.ofMinutes(5));
        fx.send(servers.topics().sms(), e);
        fx.send(servers.topics().sms(), e);

        fx.awaitStatus(servers, e.eventId(), "sent");
        fx.awaitStatus(servers, e.eventId(), "duplicate");
        assertThat(twilio().requestsTo(to), hasSize(1));
        // The copy that finds the first still calling Twilio looks again a moment later ("retrying").
        assertThat(fx.statusNames(servers, e.eventId()).stream().filter(n -> !n.equals("retrying")).toList(),
                containsInAnyOrder("sent", "duplicate"));
    }

    @Test
    void anEventWhoseAttemptDiedDuringTheCallIsDeadLetteredNotDroppedNorSentTwice() {
        ConnectionConfig c = fromConnection(Map.of());
        String to = DeliveryFixtures.phone();
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "707070", "en", Duration.ofMinutes(5));
        // What a process killed during its Twilio call leaves behind: the claim, and no outcome.
        ledger.claim(new DeliveryLedger.Subject(e.eventId(), "client-x", c.name(), Channel.SMS), 1,
                DeliveryLedger.Claiming.call("twilio", 0), Instant.now(), Duration.ofMinutes(10)).await()
                .atMost(Duration.ofSeconds(5));
        fx.send(servers.topics().sms(), e);

        JsonNode retrying = fx.awaitStatus(servers, e.eventId(), "retrying");
        assertThat(retrying.path("reason").asText(), containsString("another attempt is calling"));
        // At the call timeout (4 s here) the outcome is declared unknown: to the DLQ, never a second message.
        JsonNode failed = fx.awaitStatus(servers, e.eventId(), "failed");
        assertThat(failed.path("reason").asText(), containsString("outcome unknown"));
        assertThat(fx.awaitDeadLetter(servers, e.eventId()).header(DeliveryPublisher.DEAD_LETTER_REASON),
                containsString("outcome unknown"));
        assertThat(twilio().requestsTo(to), is(empty()));
        assertThat(fx.statusNames(servers, e.eventId()), not(hasItem("duplicate")));
    }

    @Test
    void anExpiredEventIsNotSent() throws Exception {
        ConnectionConfig c = fromConnection(Map.of());
        String to = DeliveryFixtures.phone();
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "123123", "en", Duration.ofSeconds(-1));
        fx.send(servers.topics().sms(), e);

        JsonNode expired = fx.awaitStatus(servers, e.eventId(), "expired");
        assertThat(expired.path("reason").asText(), containsString("expired"));
        Thread.sleep(300);
        assertThat(twilio().requestsTo(to), is(empty()));
    }

    @Test
    void aBrokenTemplateGoesToTheDeadLetterTopicAndTheNextEventIsStillSent() {
        ConnectionConfig broken = fromConnection(Map.of("default",
                new Template(null, "{% if code %}Your code {{ code }}", null)));
        ConnectionConfig good = fromConnection(Map.of());
        String to = DeliveryFixtures.phone();
        DeliveryEvent first = fx.codeEvent("client-x", broken, to, "101010", "en", Duration.ofMinutes(5));
        DeliveryEvent second = fx.codeEvent("client-x", good, to, "202020", "en", Duration.ofMinutes(5));
        fx.send(servers.topics().sms(), first);
        fx.send(servers.topics().sms(), second);

        Received dead = fx.awaitDeadLetter(servers, first.eventId());
        assertThat(dead.header(DeliveryPublisher.DEAD_LETTER_REASON),
                allOf(containsString("template 'default' of connection " + broken.name()),
                        containsString("parser error"), not(containsString("101010"))));
        fx.awaitStatus(servers, second.eventId(), "sent");
        assertThat(twilio().messagesTo(to).stream().map(r -> r.field("Body")).toList(),
                contains("Your verification code is: 202020"));
    }

    @Test
    void aLongBodyReportsItsSegments() {
        ConnectionConfig c = fromConnection(Map.of("default", new Template(null,
                "{{ code }} " + "is your code. ".repeat(14), null)));
        String to = DeliveryFixtures.phone();
        DeliveryEvent e = fx.codeEvent("client-x", c, to, "880088", "en", Duration.ofMinutes(5));
        fx.send(servers.topics().sms(), e);

        JsonNode sent = fx.awaitStatus(servers, e.eventId(), "sent");
        assertThat(twilio().messagesTo(to).get(0).field("Body").length(), greaterThan(160));
        assertThat(sent.path("segments").asInt(), equalTo(2));
    }

    @Test
    void anUnreadableRecordGoesToTheDeadLetterTopic() {
        String key = DeliveryFixtures.phone();
        String marker = DeliveryFixtures.unique("garbage");
        fx.sendRaw(servers.topics().sms(), key, ("not json " + marker).getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).until(() -> !servers.deadLetters()
                .matching(r -> r.value() != null && r.value().contains(marker)).isEmpty());
        Received dead = servers.deadLetters().matching(r -> r.value().contains(marker)).get(0);
        assertThat(dead.header(DeliveryPublisher.DEAD_LETTER_REASON), equalTo("unreadable delivery event"));
    }

    @Test
    void aSendersRateLimitSpacesItsMessages() {
        ConnectionConfig c = messagingServiceConnection(Map.of(), DeliveryTestResource.SLOW_SENDER);
        List<String> recipients = List.of(DeliveryFixtures.phone(), DeliveryFixtures.phone(),
                DeliveryFixtures.phone(), DeliveryFixtures.phone(), DeliveryFixtures.phone(),
                DeliveryFixtures.phone());
        List<DeliveryEvent> events = recipients.stream()
                .map(to -> fx.codeEvent("client-x", c, to, "424242", "en", Duration.ofMinutes(5))).toList();
        events.forEach(e -> fx.send(servers.topics().sms(), e));
        events.forEach(e -> fx.awaitStatus(servers, e.eventId(), "sent"));

        List<Long> arrivals = recipients.stream().map(to -> twilio().messagesTo(to).get(0).arrivedMillis())
                .sorted().toList();
        // 2 messages/s with a burst of 2: the 6th goes about 2 s after the first.
        assertThat(arrivals.get(5) - arrivals.get(0), greaterThanOrEqualTo(1500L));
    }
}
