package dev.latchkey.otp.api;

import static dev.latchkey.otp.support.Starts.body;
import static dev.latchkey.otp.support.Starts.start;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.crypto.PlatformCipher;
import dev.latchkey.common.event.Channel;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.event.Send;
import dev.latchkey.common.otp.OtpHmac;
import dev.latchkey.common.otp.OtpState;
import dev.latchkey.common.recipient.Recipients;
import dev.latchkey.otp.support.DeliveryTopics;
import dev.latchkey.otp.support.OtpTestProfile;
import dev.latchkey.otp.support.Tenant;
import dev.latchkey.otp.support.TestClock;

/** The happy paths of a start, checked where they land: the Redis state and the Kafka record. */
@QuarkusTest
@TestProfile(OtpTestProfile.class)
class PasswordlessStartTest {

    @Inject
    ConfigView view;
    @Inject
    RedisDataSource redis;
    @Inject
    PlatformCipher cipher;
    @Inject
    OtpHmac hmac;
    @Inject
    TestClock clock;
    @Inject
    ObjectMapper mapper;

    Tenant tenant;
    DeliveryTopics topics;

    @BeforeEach
    void open() {
        tenant = new Tenant(view);
        topics = new DeliveryTopics();
    }

    @AfterEach
    void close() {
        topics.close();
        tenant.close();
    }

    @Test
    void smsCodeIsKeptOnlyAsAnHmacWithItsTtlAndTravelsEncrypted() {
        var sms = tenant.connection("sms");
        var client = tenant.client(sms);
        String raw = Tenant.phone();
        String phone = Recipients.phone(raw).orElseThrow();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

        JsonPath reply = start(body("client_id", client.clientId(), "connection", sms.name(), "phone_number", raw,
                "send", "code"))
                .then().statusCode(200)
                .body("phone_number", equalTo(phone))
                .body("phone_verified", is(false))
                .extract().jsonPath();
        assertEquals(java.util.Set.of("_id", "phone_number", "phone_verified"), reply.getMap("").keySet());
        String id = reply.getString("_id");

        ConsumerRecord<String, String> record = topics.record(id);
        assertEquals(DeliveryEvent.TOPIC_SMS, record.topic());
        assertEquals(phone, record.key(), "keyed by recipient");
        assertTrue(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.US_ASCII)
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), "a W3C traceparent travels with the event");
        DeliveryEvent event = DeliveryTopics.event(record);
        assertEquals(client.clientId(), event.clientId());
        assertEquals(sms.name(), event.connection());
        assertEquals(Channel.SMS, event.channel());
        assertEquals(Send.CODE, event.send());
        assertEquals("en", event.language());
        assertNull(event.linkEnc());
        assertEquals(Duration.ofSeconds(300), Duration.between(event.issuedAt(), event.expiresAt()));
        assertFalse(record.value().matches("(?s).*\"\\d{6}\".*"), "no plaintext code in the record");
        String code = cipher.decrypt(event.codeEnc(), DeliveryEvent.cipherContext(id));
        assertTrue(code.matches("\\d{6}"), "six digits by default");

        String key = OtpState.codeKey(sms.name(), phone);
        Map<String, String> state = redis.hash(String.class).hgetall(key);
        assertEquals(hmac.of(code, client.clientId(), sms.name(), phone), state.get(OtpState.FIELD_HMAC),
                "the HMAC a verify of this code would compute");
        assertEquals(client.clientId(), state.get(OtpState.FIELD_CLIENT));
        assertEquals("3", state.get(OtpState.FIELD_ATTEMPTS));
        assertEquals(id, state.get(OtpState.FIELD_ID));
        assertEquals(event.expiresAt().toEpochMilli(), Long.parseLong(state.get(OtpState.FIELD_EXPIRES)));
        assertEquals("{}", state.get(OtpState.FIELD_PARAMS));
        state.forEach((field, value) -> assertFalse(!field.equals(OtpState.FIELD_HMAC) && value.contains(code),
                "plaintext code in field " + field));
        assertNotEquals(code, state.get(OtpState.FIELD_HMAC));
        long ttl = redis.key().pttl(key);
        assertTrue(ttl > 290_000 && ttl <= 300_000, "code TTL is the connection's 300 s, was " + ttl + " ms");

        // A caller's trace is continued: same trace id, a new span for this hop.
        reply = io.restassured.RestAssured.given().contentType("application/json")
                .header("X-Forwarded-For", dev.latchkey.otp.support.Starts.ip())
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01").header("tracestate", "vendor=1")
                .body(body("client_id", client.clientId(), "connection", sms.name(), "phone_number", Tenant.phone()))
                .post("/passwordless/start").then().statusCode(200).extract().jsonPath();
        record = topics.record(reply.getString("_id"));
        String traceparent = new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.US_ASCII);
        assertTrue(traceparent.startsWith("00-" + traceId + "-"), traceparent);
        assertFalse(traceparent.contains("00f067aa0ba902b7"), "a new span id for this hop");
        assertEquals("vendor=1", new String(record.headers().lastHeader("tracestate").value(), StandardCharsets.UTF_8));
    }

    @Test
    void emailCodeUsesTheConnectionsLengthAndTtlAndNormalisesTheAddress() {
        var email = tenant.connection("email", null, 8, Map.of());
        var client = tenant.client(email);
        String raw = Tenant.email();
        String address = raw.toLowerCase(Locale.ROOT);

        String id = start(body("client_id", client.clientId(), "connection", email.name(), "email", raw, "send",
                "code"))
                .then().statusCode(200)
                .body("email", equalTo(address))
                .body("email_verified", is(false))
                .body("phone_number", org.hamcrest.Matchers.nullValue())
                .extract().path("_id");

        ConsumerRecord<String, String> record = topics.record(id);
        assertEquals(DeliveryEvent.TOPIC_EMAIL, record.topic());
        assertEquals(address, record.key());
        DeliveryEvent event = DeliveryTopics.event(record);
        assertEquals(Channel.EMAIL, event.channel());
        assertEquals(Send.CODE, event.send());
        String code = cipher.decrypt(event.codeEnc(), DeliveryEvent.cipherContext(id));
        assertTrue(code.matches("\\d{8}"), "code_length 8: " + code.length());
        assertEquals(hmac.of(code, client.clientId(), email.name(), address),
                redis.hash(String.class).hget(OtpState.codeKey(email.name(), address), OtpState.FIELD_HMAC));
    }

    @Test
    void emailWithoutSendGetsAMagicLinkToVerifyRedirectCarryingTheCodeAndAuthParams() throws Exception {
        var email = tenant.connection("email");
        var client = tenant.client(email);
        String address = Tenant.email().toLowerCase(Locale.ROOT);
        Map<String, Object> authParams = new LinkedHashMap<>();
        authParams.put("scope", "openid email");
        authParams.put("response_type", "code");
        authParams.put("redirect_uri", "https://app.example.test/callback");
        authParams.put("state", "xyz 1&2");
        authParams.put("nonce", "n-0S6_WzA2Mj");
        authParams.put("_csrf", "ignored by design (Lock sends it)");

        String id = start(body("client_id", client.clientId(), "connection", email.name(), "email", address,
                "authParams", authParams))
                .then().statusCode(200).body("email", equalTo(address)).extract().path("_id");

        DeliveryEvent event = DeliveryTopics.event(topics.record(id));
        assertEquals(Send.LINK, event.send(), "Auth0 sends a link when send is absent on email");
        String code = cipher.decrypt(event.codeEnc(), DeliveryEvent.cipherContext(id));
        URI link = URI.create(cipher.decrypt(event.linkEnc(), DeliveryEvent.cipherContext(id)));
        assertEquals("https://login.example.test/passwordless/verify_redirect",
                link.getScheme() + "://" + link.getHost() + link.getPath());
        Map<String, String> query = Arrays.stream(link.getRawQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
        assertEquals(client.clientId(), query.get("client_id"));
        assertEquals(email.name(), query.get("connection"));
        assertEquals(address, query.get("email"));
        assertEquals(code, query.get("verification_code"));
        assertEquals("openid email", query.get("scope"));
        assertEquals("code", query.get("response_type"));
        assertEquals("https://app.example.test/callback", query.get("redirect_uri"));
        assertEquals("xyz 1&2", query.get("state"));
        assertEquals("n-0S6_WzA2Mj", query.get("nonce"));
        assertFalse(query.containsKey("_csrf"));

        Map<String, String> state = redis.hash(String.class).hgetall(OtpState.codeKey(email.name(), address));
        assertEquals(hmac.of(code, client.clientId(), email.name(), address), state.get(OtpState.FIELD_HMAC));
        @SuppressWarnings("unchecked")
        Map<String, String> params = mapper.readValue(state.get(OtpState.FIELD_PARAMS), Map.class);
        assertEquals(Map.of("scope", "openid email", "response_type", "code", "redirect_uri",
                "https://app.example.test/callback", "state", "xyz 1&2", "nonce", "n-0S6_WzA2Mj"), params,
                "authParams are kept with the code for the verify step");
    }

    @Test
    void onlyTheLatestCodeOfARecipientIsValid() {
        var sms = tenant.connection("sms");
        var client = tenant.client(sms);
        String phone = Recipients.phone(Tenant.phone()).orElseThrow();
        var request = body("client_id", client.clientId(), "connection", sms.name(), "phone_number", phone);

        String first = start(request).then().statusCode(200).extract().path("_id");
        clock.advance(Duration.ofSeconds(31));
        String second = start(request).then().statusCode(200).extract().path("_id");

        String code1 = cipher.decrypt(DeliveryTopics.event(topics.record(first)).codeEnc(),
                DeliveryEvent.cipherContext(first));
        String code2 = cipher.decrypt(DeliveryTopics.event(topics.record(second)).codeEnc(),
                DeliveryEvent.cipherContext(second));
        Map<String, String> state = redis.hash(String.class).hgetall(OtpState.codeKey(sms.name(), phone));
        assertEquals(second, state.get(OtpState.FIELD_ID));
        assertTrue(OtpHmac.same(hmac.of(code2, client.clientId(), sms.name(), phone), state.get(OtpState.FIELD_HMAC)));
        if (!code1.equals(code2)) {
            assertFalse(OtpHmac.same(hmac.of(code1, client.clientId(), sms.name(), phone),
                    state.get(OtpState.FIELD_HMAC)), "the first code no longer verifies");
        }
    }

    @Test
    void messageLanguageFollowsXRequestLanguageThenAcceptLanguageThenTheConnection() {
        var template = new ConnectionConfig.Template(null, "{{ code }}", null);
        var sms = tenant.connection("sms", null, null, Map.of("default", template, "fr", template, "de", template));
        var client = tenant.client(sms);

        assertEquals("fr", language(client.clientId(), sms.name(), "fr-CA", "de-AT,de;q=0.9"));
        assertEquals("de", language(client.clientId(), sms.name(), null, "de-AT,de;q=0.9,en;q=0.5"));
        assertEquals("pt-BR", language(client.clientId(), sms.name(), "pt-BR", null),
                "a language without a template is passed on; delivery falls back to the default template");
        assertEquals("en", language(client.clientId(), sms.name(), null, null));
    }

    private String language(String clientId, String connection, String xRequestLanguage, String acceptLanguage) {
        var request = io.restassured.RestAssured.given().contentType("application/json")
                .header("X-Forwarded-For", dev.latchkey.otp.support.Starts.ip());
        if (xRequestLanguage != null) {
            request.header("x-request-language", xRequestLanguage);
        }
        if (acceptLanguage != null) {
            request.header("Accept-Language", acceptLanguage);
        }
        String id = request.body(body("client_id", clientId, "connection", connection, "phone_number", Tenant.phone()))
                .post("/passwordless/start").then().statusCode(200).extract().path("_id");
        return DeliveryTopics.event(topics.record(id)).language();
    }

    @Test
    void aBlockedRecipientGetsTheSameAnswerAsAnyoneElseButNoCode() {
        var sms = tenant.connection("sms");
        var client = tenant.client(sms);
        String blocked = Recipients.phone(Tenant.phone()).orElseThrow();
        String other = Recipients.phone(Tenant.phone()).orElseThrow();
        redis.value(String.class).set(OtpState.blockedKey(sms.name(), blocked), "1");
        try {
            var a = start(body("client_id", client.clientId(), "connection", sms.name(), "phone_number", blocked));
            var b = start(body("client_id", client.clientId(), "connection", sms.name(), "phone_number", other));
            assertEquals(b.statusCode(), a.statusCode());
            assertEquals(200, a.statusCode());
            assertEquals(b.contentType(), a.contentType());
            assertEquals(b.jsonPath().getMap("").keySet(), a.jsonPath().getMap("").keySet());
            assertEquals(blocked, a.jsonPath().getString("phone_number"));
            assertEquals(36, a.jsonPath().getString("_id").length());

            String blockedId = a.jsonPath().getString("_id");
            topics.record(b.jsonPath().getString("_id"));
            assertTrue(topics.all(Duration.ofSeconds(1)).stream().noneMatch(r -> r.key().equals(blocked)),
                    "nothing is sent to a blocked recipient");
            assertTrue(topics.all(Duration.ZERO).stream()
                    .noneMatch(r -> DeliveryTopics.event(r).eventId().equals(blockedId)));
            assertFalse(redis.key().exists(OtpState.codeKey(sms.name(), blocked)), "no code written");
        } finally {
            redis.key().del(OtpState.blockedKey(sms.name(), blocked));
        }
    }
}
