package dev.latchkey.delivery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.event.Channel;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.delivery.store.DeliveryLedger;
import dev.latchkey.delivery.testing.DeliveryFixtures;
import dev.latchkey.delivery.testing.DeliveryServers;
import dev.latchkey.delivery.testing.DeliveryTestResource;
import dev.latchkey.delivery.testing.TestServers;
import dev.latchkey.delivery.testing.TwilioFake;

/**
 * POST /twilio/status: signed as Twilio signs (HMAC-SHA1 of the URL and the sorted parameters, keyed with the auth
 * token), computed here independently of the service's RequestValidator.
 */
@QuarkusTest
@WithTestResource(value = DeliveryTestResource.class, scope = TestResourceScope.GLOBAL)
class TwilioStatusCallbackTest {

    private static final String CALLBACK_URL = "https://delivery.latchkey.test/twilio/status";

    @DeliveryServers
    TestServers servers;

    @Inject
    DeliveryFixtures fx;

    @Inject
    DeliveryLedger ledger;

    @TestHTTPResource("/")
    URI service;

    record Sent(DeliveryEvent event, String accountSid, String token, String messageSid) {

        /** The URL Twilio calls back (and signs): the message's StatusCallback. */
        String url() {
            return CALLBACK_URL + "?event=" + event.eventId();
        }

        String path() {
            return "/twilio/status?event=" + event.eventId();
        }
    }

    /** A connection of its own and an event for it, not sent yet; the message SID is made up. */
    private Sent unsent() {
        String name = DeliveryFixtures.unique("sms");
        String account = DeliveryFixtures.accountSid();
        String token = DeliveryFixtures.secret();
        ConnectionConfig c = fx.publish(DeliveryFixtures.sms(name, Map.of(),
                fx.twilioMessagingService(name, account, token, "MG" + DeliveryFixtures.hex(16))));
        DeliveryEvent e = fx.codeEvent("client-cb", c, DeliveryFixtures.phone(), "246810", "en",
                Duration.ofMinutes(5));
        return new Sent(e, account, token, "SM" + DeliveryFixtures.hex(16));
    }

    private Sent sendOne() {
        Sent unsent = unsent();
        DeliveryEvent e = unsent.event();
        fx.send(servers.topics().sms(), e);
        JsonNode sent = fx.awaitStatus(servers, e.eventId(), "sent");
        String callback = servers.twilio().messagesTo(e.recipient()).get(0).field("StatusCallback");
        Sent s = new Sent(e, unsent.accountSid(), unsent.token(), sent.path("provider_id").asText());
        assertThat(callback, equalTo(s.url()));
        return s;
    }

    private static Map<String, String> callback(Sent s, String status, String errorCode) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("MessageSid", s.messageSid());
        p.put("SmsSid", s.messageSid());
        p.put("AccountSid", s.accountSid());
        p.put("MessageStatus", status);
        p.put("SmsStatus", status);
        p.put("To", s.event().recipient());
        p.put("ApiVersion", "2010-04-01");
        if (errorCode != null) {
            p.put("ErrorCode", errorCode);
        }
        return p;
    }

    static String sign(String token, String url, Map<String, String> params) throws Exception {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSignedCallbackSettlesAnAttemptThatDiedDuringTheCall() throws Exception {
        Sent s = unsent();
        DeliveryEvent e = s.event();
        String token = s.token();
        // The process that claimed the event was killed after Twilio took the message, before it recorded the SID.
        ledger.claim(new DeliveryLedger.Subject(e.eventId(), "client-cb", e.connection(), Channel.SMS), 1,
                DeliveryLedger.Claiming.call("twilio", 0), Instant.now(), Duration.ofMinutes(10)).await()
                .atMost(Duration.ofSeconds(5));
        Map<String, String> params = callback(s, "sent", null);

        // Signed with another token: still refused.
        given().contentType(ContentType.URLENC).formParams(params)
                .header("X-Twilio-Signature", sign(DeliveryFixtures.secret(), s.url(), params))
                .when().post(s.path()).then().statusCode(403);
        assertThat(ledger.find(e.eventId()).await().atMost(Duration.ofSeconds(5)).orElseThrow().state(),
                equalTo(DeliveryLedger.State.CALLING));

        given().contentType(ContentType.URLENC).formParams(params)
                .header("X-Twilio-Signature", sign(token, s.url(), params))
                .when().post(s.path()).then().statusCode(204);
        JsonNode sent = fx.awaitStatus(servers, e.eventId(), "sent");
        assertThat(sent.path("provider_id").asText(), equalTo(s.messageSid()));
        DeliveryLedger.Record record = ledger.find(e.eventId()).await().atMost(Duration.ofSeconds(5)).orElseThrow();
        assertThat(record.state(), equalTo(DeliveryLedger.State.SENT));
        assertThat(record.get("provider_id"), equalTo(s.messageSid()));

        // Kafka redelivers the event to a live instance: a duplicate, no second message, nothing dead-lettered.
        fx.send(servers.topics().sms(), e);
        fx.awaitStatus(servers, e.eventId(), "duplicate");
        assertThat(servers.twilio().requestsTo(e.recipient()), is(empty()));
        assertThat(fx.deadLetters(servers, e.eventId()), is(empty()));
    }

    /** Twilio's status callback for a message it just created, sent as Twilio would, while its create call waits. */
    private CompletableFuture<HttpResponse<String>> callbackDuringTheCall(Sent s, TwilioFake.Request created) {
        Sent made = new Sent(s.event(), s.accountSid(), s.token(), created.sid());
        Map<String, String> params = callback(made, "sent", null);
        String form = params.entrySet().stream().map(p -> p.getKey() + "="
                + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        try {
            // Signed on the URL the service gave Twilio for this message, as Twilio signs.
            String signature = sign(s.token(), created.field("StatusCallback"), params);
            return HttpClient.newHttpClient()
                    .sendAsync(HttpRequest.newBuilder(service.resolve(made.path().substring(1)))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("X-Twilio-Signature", signature).POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The callback can arrive before the answer to the call that created the message, and a message can exist
     * although that answer was an error (lost on its way back, a proxy's 503). Once the callback has recorded the
     * message sent, the attempt's error must not turn into a retry, which would send the code a second time.
     */
    @Test
    void aCallbackBeforeAFailedAnswerKeepsTheCodeFromBeingSentTwice() throws Exception {
        Sent s = unsent();
        DeliveryEvent e = s.event();
        List<Integer> callbackAnswers = new CopyOnWriteArrayList<>();
        servers.twilio().createThen(e.recipient(), created -> callbackDuringTheCall(s, created)
                .thenAccept(r -> callbackAnswers.add(r.statusCode())),
                TwilioFake.Answer.error(503, 20503, "Service Unavailable"));
        fx.send(servers.topics().sms(), e);

        JsonNode duplicate = fx.awaitStatus(servers, e.eventId(), "duplicate");
        assertThat(callbackAnswers, equalTo(List.of(204)));
        Thread.sleep(2000); // longer than the retry backoff of these tests (300 ms to 1 s): a retry would show
        assertThat(servers.twilio().requestsTo(e.recipient()).size(), equalTo(1));
        List<String> statuses = fx.statusNames(servers, e.eventId());
        assertThat(statuses, equalTo(List.of("sent", "duplicate")));
        String sid = servers.twilio().requestsTo(e.recipient()).get(0).sid();
        assertThat(fx.awaitStatus(servers, e.eventId(), "sent").path("provider_id").asText(), equalTo(sid));
        assertThat(duplicate.path("provider_id").asText(), equalTo(sid));
        assertThat(ledger.find(e.eventId()).await().atMost(Duration.ofSeconds(5)).orElseThrow().state(),
                equalTo(DeliveryLedger.State.SENT));
        assertThat(fx.deadLetters(servers, e.eventId()), is(empty()));
    }

    /** The same callback before a good answer: one {@code sent} on the status topic, not one from each. */
    @Test
    void aCallbackBeforeTheAnswerMakesOneSentStatus() throws Exception {
        Sent s = unsent();
        DeliveryEvent e = s.event();
        servers.twilio().createThen(e.recipient(), created -> callbackDuringTheCall(s, created), null);
        fx.send(servers.topics().sms(), e);

        fx.awaitStatus(servers, e.eventId(), "duplicate");
        Thread.sleep(500);
        assertThat(fx.statusNames(servers, e.eventId()), equalTo(List.of("sent", "duplicate")));
        assertThat(servers.twilio().requestsTo(e.recipient()).size(), equalTo(1));
    }

    @Test
    void aSignedDeliveredCallbackIsPublished() throws Exception {
        Sent s = sendOne();
        Map<String, String> params = callback(s, "delivered", null);
        given().contentType(ContentType.URLENC).formParams(params)
                .header("X-Twilio-Signature", sign(s.token(), s.url(), params))
                .when().post(s.path()).then().statusCode(204);

        JsonNode delivered = fx.awaitStatus(servers, s.event().eventId(), "delivered");
        assertThat(delivered.path("provider_id").asText(), equalTo(s.messageSid()));
        assertThat(delivered.path("connection").asText(), equalTo(s.event().connection()));
        DeliveryLedger.Record record = ledger.find(s.event().eventId()).await().atMost(Duration.ofSeconds(5))
                .orElseThrow();
        assertThat(record.state(), equalTo(DeliveryLedger.State.SENT));
        assertThat(record.get("provider_status"), equalTo("delivered"));
    }

    @Test
    void anUndeliveredCallbackIsPublishedAsFailed() throws Exception {
        Sent s = sendOne();
        Map<String, String> params = callback(s, "undelivered", "30003");
        given().contentType(ContentType.URLENC).formParams(params)
                .header("X-Twilio-Signature", sign(s.token(), s.url(), params))
                .when().post(s.path()).then().statusCode(204);

        JsonNode failed = fx.awaitStatus(servers, s.event().eventId(), "failed");
        assertThat(failed.path("reason").asText(), containsString("30003"));
    }

    @Test
    void unsignedOrBadlySignedCallbacksAreForbidden() throws Exception {
        Sent s = sendOne();
        Map<String, String> params = callback(s, "delivered", null);
        given().contentType(ContentType.URLENC).formParams(params)
                .when().post(s.path()).then().statusCode(403)
                .body("error", equalTo("access_denied"));
        // Signed with another token.
        given().contentType(ContentType.URLENC).formParams(params)
                .header("X-Twilio-Signature", sign(DeliveryFixtures.secret(), s.url(), params))
                .when().post(s.path()).then().statusCode(403);
        // Signed, then a parameter changed.
        String signature = sign(s.token(), s.url(), params);
        Map<String, String> tampered = new LinkedHashMap<>(params);
        tampered.put("MessageStatus", "failed");
        given().contentType(ContentType.URLENC).formParams(tampered).header("X-Twilio-Signature", signature)
                .when().post(s.path()).then().statusCode(403);
        // Signed for another URL.
        given().contentType(ContentType.URLENC).formParams(params)
                .header("X-Twilio-Signature",
                        sign(s.token(), "https://evil.test/twilio/status?event=" + s.event().eventId(), params))
                .when().post(s.path()).then().statusCode(403);

        Thread.sleep(300);
        assertThat(fx.statusNames(servers, s.event().eventId()).toString(), not(containsString("delivered")));
    }

    @Test
    void aCallbackForAnUnknownEventOrAnotherMessageIsForbidden() throws Exception {
        Sent s = sendOne();
        // Another message SID on a real event, correctly signed: not this event's message.
        Map<String, String> other = callback(new Sent(s.event(), s.accountSid(), s.token(),
                "SM" + DeliveryFixtures.hex(16)), "delivered", null);
        given().contentType(ContentType.URLENC).formParams(other)
                .header("X-Twilio-Signature", sign(s.token(), s.url(), other))
                .when().post(s.path()).then().statusCode(403);
        // An event this service never handled.
        Map<String, String> params = callback(s, "delivered", null);
        String unknown = "/twilio/status?event=" + DeliveryFixtures.unique("evt");
        given().contentType(ContentType.URLENC).formParams(params)
                .header("X-Twilio-Signature", sign(s.token(), CALLBACK_URL + unknown.substring(unknown.indexOf('?')),
                        params))
                .when().post(unknown).then().statusCode(403)
                .body("error_description", not(containsString("Exception")));
        // No event at all.
        given().contentType(ContentType.URLENC).formParams(params)
                .header("X-Twilio-Signature", sign(s.token(), CALLBACK_URL, params))
                .when().post("/twilio/status").then().statusCode(403);
    }
}
