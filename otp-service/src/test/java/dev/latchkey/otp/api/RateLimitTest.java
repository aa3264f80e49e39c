package dev.latchkey.otp.api;

import static dev.latchkey.otp.api.StartErrorsTest.auth0Error;
import static dev.latchkey.otp.support.Starts.body;
import static dev.latchkey.otp.support.Starts.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.otp.OtpState;
import dev.latchkey.common.recipient.Recipients;
import dev.latchkey.otp.support.DeliveryTopics;
import dev.latchkey.otp.support.OtpTestProfile;
import dev.latchkey.otp.support.Starts;
import dev.latchkey.otp.support.Tenant;
import dev.latchkey.otp.support.TestClock;

/**
 * Each rate limit with its Retry-After, and what "over a limit" means: 429, nothing sent, nothing written — the
 * recipient keeps the code it had.
 */
@QuarkusTest
@TestProfile(OtpTestProfile.class)
class RateLimitTest {

    @Inject
    ConfigView view;
    @Inject
    RedisDataSource redis;
    @Inject
    TestClock clock;

    Tenant tenant;
    DeliveryTopics topics;
    ConnectionConfig sms;

    @BeforeEach
    void open() {
        tenant = new Tenant(view);
        topics = new DeliveryTopics();
        sms = tenant.connection("sms");
        // Time moves only when a test says so: the limits refill every few seconds, and how fast a (loaded) machine
        // sends a test's starts must not change what they are answered, nor their Retry-After.
        clock.stop();
    }

    @AfterEach
    void close() {
        clock.start();
        topics.close();
        tenant.close();
    }

    private static long retryAfter(Response r) {
        return Long.parseLong(r.header("Retry-After"));
    }

    private Map<String, Object> to(String clientId, String phone) {
        return body("client_id", clientId, "connection", sms.name(), "phone_number", phone);
    }

    @Test
    void recipientGetsOneCodePer30SecondsAndFivePer10Minutes() {
        String client = tenant.client(sms).clientId();
        String phone = Recipients.phone(Tenant.phone()).orElseThrow();
        String codeKey = OtpState.codeKey(sms.name(), phone);

        String first = start(to(client, phone)).then().statusCode(200).extract().path("_id");
        Map<String, String> before = redis.hash(String.class).hgetall(codeKey);

        Response tooSoon = start(to(client, phone));
        auth0Error(tooSoon, 429, "too_many_requests", "Too many codes requested to this recipient. Try again later.");
        assertTrue(retryAfter(tooSoon) >= 29 && retryAfter(tooSoon) <= 30, "Retry-After " + retryAfter(tooSoon));
        assertEquals(before, redis.hash(String.class).hgetall(codeKey), "the first code is untouched");
        assertEquals(1, redis.sortedSet(String.class).zcard(OtpState.sendsKey(sms.name(), phone)));

        for (int sent = 2; sent <= 5; sent++) {
            clock.advance(Duration.ofSeconds(31));
            start(to(client, phone)).then().statusCode(200);
        }
        clock.advance(Duration.ofSeconds(31));
        Response sixth = start(to(client, phone));
        auth0Error(sixth, 429, "too_many_requests", null);
        // The oldest of the five was sent 5 x 31 s ago; it leaves the 10-minute window 600 - 155 s from now.
        assertTrue(Math.abs(retryAfter(sixth) - 445) <= 1, "Retry-After " + retryAfter(sixth));

        clock.advance(Duration.ofSeconds(446));
        start(to(client, phone)).then().statusCode(200);

        long sentToPhone = topics.all(Duration.ofSeconds(1)).stream().filter(r -> phone.equals(r.key())).count();
        assertEquals(6, sentToPhone, "5 in the window, one more after it moved; nothing for the refused ones");
        assertTrue(topics.all(Duration.ZERO).stream().anyMatch(r -> DeliveryTopics.event(r).eventId().equals(first)));
    }

    @Test
    void fiftyStartsPerHourFromOneIpAddressAndARefusalPutsTheOldCodeBack() {
        // Three clients so the per-client limit (20 in this profile) is not the one reached.
        String[] clients = {tenant.client(sms).clientId(), tenant.client(sms).clientId(),
                tenant.client(sms).clientId()};
        String ip = Starts.ip();
        String victim = Recipients.phone(Tenant.phone()).orElseThrow();
        String victimCode = OtpState.codeKey(sms.name(), victim);

        start(to(clients[0], victim), ip).then().statusCode(200);
        Map<String, String> victimsCode = redis.hash(String.class).hgetall(victimCode);
        for (int i = 1; i < 50; i++) {
            start(to(clients[i % 3], Tenant.phone()), ip).then().statusCode(200);
        }

        String fresh = Recipients.phone(Tenant.phone()).orElseThrow();
        Response over = start(to(clients[1], fresh), ip);
        auth0Error(over, 429, "too_many_requests", "Too many codes requested from this IP address. Try again later.");
        // One more every 3600 s / 50 = 72 s, counted from the first of the 50 (which took a moment to send).
        assertTrue(retryAfter(over) > 60 && retryAfter(over) <= 72, "Retry-After " + retryAfter(over));
        assertFalse(redis.key().exists(OtpState.codeKey(sms.name(), fresh)), "nothing written");
        assertFalse(redis.key().exists(OtpState.sendsKey(sms.name(), fresh)), "not counted for the recipient");

        // The victim's own limits would allow a new code now, the IP's do not: the refused start must leave the
        // victim's existing code in place (it is written, then put back).
        clock.advance(Duration.ofSeconds(31));
        auth0Error(start(to(clients[2], victim), ip), 429, "too_many_requests", null);
        assertEquals(victimsCode, redis.hash(String.class).hgetall(victimCode), "the victim's code is unchanged");
        assertEquals(1, redis.sortedSet(String.class).zcard(OtpState.sendsKey(sms.name(), victim)));
        assertTrue(redis.key().pttl(victimCode) > 0);

        // Other addresses are not affected.
        start(to(clients[2], Tenant.phone()), Starts.ip()).then().statusCode(200);
        assertTrue(topics.all(Duration.ofSeconds(1)).stream().noneMatch(r -> fresh.equals(r.key())),
                "nothing sent for a refused start");
    }

    @Test
    void perClientLimitCountsAllItsRecipients() {
        String client = tenant.client(sms).clientId();
        for (int i = 0; i < OtpTestProfile.CLIENT_LIMIT; i++) {
            start(to(client, Tenant.phone())).then().statusCode(200);
        }
        String phone = Recipients.phone(Tenant.phone()).orElseThrow();
        Response over = start(to(client, phone));
        auth0Error(over, 429, "too_many_requests", "Too many codes requested for this application. Try again later.");
        assertTrue(retryAfter(over) >= 1 && retryAfter(over) <= 3, "one more every 60 s / 20: " + retryAfter(over));
        assertFalse(redis.key().exists(OtpState.codeKey(sms.name(), phone)));
        assertFalse(redis.key().exists(OtpState.sendsKey(sms.name(), phone)));

        String other = tenant.client(sms).clientId();
        start(to(other, Tenant.phone())).then().statusCode(200);
        clock.advance(Duration.ofSeconds(3));
        start(to(client, phone)).then().statusCode(200);
    }

    @Test
    void sharedLimitsStayExactAboveOnePerMillisecond() throws Exception {
        // limit.lua counts in microseconds: a per-client budget of a million a second allows a burst of a million,
        // where whole milliseconds would have capped every key at 1,000 a second (1,000 at once here).
        String script;
        try (var in = getClass().getResourceAsStream("/lua/limit.lua")) {
            script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String key = "otp:limit:client:{" + Tenant.unique("gcra") + "}";
        String now = Long.toString(clock.millis());
        try {
            for (int i = 0; i < 1001; i++) {
                var reply = redis.execute("EVAL", script, "1", key, now, "1000", "1000000");
                assertEquals(1, reply.get(0).toInteger(), "call " + i + " of a burst the budget allows");
            }
        } finally {
            redis.key().del(key);
        }
    }

    @Test
    void aStartAfterRedisLostItsScriptsIsServedAndCountedOnce() {
        String client = tenant.client(sms).clientId();
        String limiter = "otp:limit:client:{" + client + "}";
        start(to(client, Tenant.phone())).then().statusCode(200);
        long before = Long.parseLong(redis.value(String.class).get(limiter));

        redis.execute("SCRIPT", "FLUSH");
        String phone = Recipients.phone(Tenant.phone()).orElseThrow();
        start(to(client, phone)).then().statusCode(200);

        // One step of the per-client limit (20 a minute: 3 s, in microseconds) and one send to the recipient: the
        // batch that met NOSCRIPT ran nothing, and its second sending ran each script once.
        assertEquals(3_000_000, Long.parseLong(redis.value(String.class).get(limiter)) - before);
        assertEquals(1, redis.sortedSet(String.class).zcard(OtpState.sendsKey(sms.name(), phone)));
        assertTrue(redis.key().exists(OtpState.codeKey(sms.name(), phone)));
    }

    @Test
    void aRecipientLockedByTooManyWrongCodesGetsNoNewCode() {
        String client = tenant.client(sms).clientId();
        String phone = Recipients.phone(Tenant.phone()).orElseThrow();
        redis.value(String.class).set(OtpState.lockKey(sms.name(), phone), "1",
                new SetArgs().px(Duration.ofMinutes(20)));
        Response locked = start(to(client, phone));
        auth0Error(locked, 429, "too_many_attempts", null);
        assertTrue(retryAfter(locked) > 1190 && retryAfter(locked) <= 1200, "Retry-After " + retryAfter(locked));
        assertFalse(redis.key().exists(OtpState.codeKey(sms.name(), phone)));
    }
}
