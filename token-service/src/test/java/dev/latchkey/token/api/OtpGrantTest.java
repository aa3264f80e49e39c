package dev.latchkey.token.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.JWTClaimsSet;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.otp.OtpState;
import dev.latchkey.token.Fixtures;
import dev.latchkey.token.Jwts;
import dev.latchkey.token.service.Grants;

/** The passwordless OTP grant of {@code POST /oauth/token} against real Redis and PostgreSQL. */
@QuarkusTest
class OtpGrantTest {

    private static final String WRONG_PHONE = "Wrong phone number or verification code.";
    private static final String WRONG_EMAIL = "Wrong email or verification code.";

    @Inject
    Fixtures fx;

    @Inject
    AuthConfig auth;

    @Inject
    RedisDataSource redis;

    static Response otp(ClientConfig client, String secret, ConnectionConfig connection, String username,
            String code, String scope) {
        var req = given().contentType(ContentType.URLENC)
                .formParam("grant_type", Grants.PASSWORDLESS_OTP)
                .formParam("client_id", client.clientId())
                .formParam("realm", connection.name())
                .formParam("username", username)
                .formParam("otp", code);
        if (secret != null) {
            req = req.formParam("client_secret", secret);
        }
        if (scope != null) {
            req = req.formParam("scope", scope);
        }
        return req.post("/oauth/token");
    }

    @Test
    void rightCodeGivesTokensWhoseClaimsVerifyAgainstTheJwks() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.publicClient(sms.name());
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);

        long before = Instant.now().getEpochSecond();
        Response r = otp(client, null, sms, phone, code, "openid phone offline_access");
        r.then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(86400))
                .body("access_token", notNullValue())
                .body("id_token", notNullValue())
                .body("refresh_token", notNullValue());

        JWTClaimsSet id = Jwts.verify(r.path("id_token"));
        assertEquals("RS256", Jwts.alg(r.path("id_token")));
        assertNotNull(Jwts.kid(r.path("id_token")));
        assertEquals(auth.issuerWithSlash(), id.getIssuer());
        assertEquals(List.of(client.clientId()), id.getAudience());
        assertTrue(id.getSubject().startsWith("sms|"), id.getSubject());
        assertEquals(phone, id.getClaim("phone_number"));
        assertEquals(Boolean.TRUE, id.getClaim("phone_number_verified"));
        assertNull(id.getClaim("email"));
        assertTrue(id.getIssueTime().toInstant().getEpochSecond() >= before - 1);
        assertEquals(36000, id.getExpirationTime().toInstant().getEpochSecond()
                - id.getIssueTime().toInstant().getEpochSecond());

        JWTClaimsSet access = Jwts.verify(r.path("access_token"));
        assertEquals(id.getSubject(), access.getSubject());
        assertEquals(List.of(auth.issuerWithSlash() + "userinfo"), access.getAudience());
        assertEquals("openid phone offline_access", access.getClaim("scope"));
        assertEquals(client.clientId(), access.getClaim("azp"));

        // The code is gone, and the same code again is refused.
        assertFalse(fx.codeExists(sms, phone));
        otp(client, null, sms, phone, code, "openid").then().statusCode(403)
                .body("error", equalTo("invalid_grant"));

        // /userinfo answers for that access token.
        given().auth().oauth2(r.path("access_token")).get("/userinfo").then().statusCode(200)
                .body("sub", equalTo(id.getSubject())).body("phone_number", equalTo(phone))
                .body("phone_number_verified", equalTo(true));
    }

    @Test
    void emailClaimsFollowTheScopeAndJsonBodiesWork() {
        ConnectionConfig email = fx.email();
        ClientConfig client = fx.publicClient(email.name());
        String address = Fixtures.emailAddress();
        String code = Fixtures.code();
        fx.issue(client, email, address, code);

        Response r = given().contentType(ContentType.JSON).body(Map.of("grant_type", Grants.PASSWORDLESS_OTP,
                "client_id", client.clientId(), "realm", email.name(), "username", address.toUpperCase(Locale.ROOT),
                "otp", code, "scope", "openid email")).post("/oauth/token");
        r.then().statusCode(200).body("refresh_token", nullValue());
        JWTClaimsSet id = Jwts.verify(r.path("id_token"));
        assertTrue(id.getSubject().startsWith("email|"));
        assertEquals(address, id.getClaim("email"));
        assertEquals(Boolean.TRUE, id.getClaim("email_verified"));
    }

    @Test
    void wrongCodeIsRefusedInAuth0Words() {
        ConnectionConfig sms = fx.sms();
        ConnectionConfig email = fx.email();
        ClientConfig client = fx.publicClient(sms.name(), email.name());
        String phone = Fixtures.phoneNumber();
        String address = Fixtures.emailAddress();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        fx.issue(client, email, address, code);

        otp(client, null, sms, phone, other(code), "openid").then().statusCode(403)
                .body("error", equalTo("invalid_grant")).body("error_description", equalTo(WRONG_PHONE));
        otp(client, null, email, address, other(code), "openid").then().statusCode(403)
                .body("error", equalTo("invalid_grant")).body("error_description", equalTo(WRONG_EMAIL));
        // The right code still works after one wrong guess.
        otp(client, null, sms, phone, code, "openid").then().statusCode(200);
    }

    @Test
    void expiredCodeGetsTheExpiredMessage() throws Exception {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.publicClient(sms.name());
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code, Duration.ofMillis(300), null);
        Thread.sleep(500);
        otp(client, null, sms, phone, code, "openid").then().statusCode(403)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", equalTo("The verification code has expired. Please try to login again."));
    }

    @Test
    void codeOfOneClientIsWrongForAnother() {
        ConnectionConfig sms = fx.sms();
        ClientConfig a = fx.publicClient(sms.name());
        ClientConfig b = fx.publicClient(sms.name());
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(a, sms, phone, code);

        otp(b, null, sms, phone, code, "openid").then().statusCode(403)
                .body("error_description", equalTo(WRONG_PHONE));
        // It was a guess against A's code: one attempt fewer, but A can still use it.
        otp(a, null, sms, phone, code, "openid").then().statusCode(200);
    }

    @Test
    void guessesAfterRedisLostItsScriptsAreEvaluatedOnceEach() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.publicClient(sms.name());
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        for (int i = 0; i < 2; i++) {
            redis.execute("SCRIPT", "FLUSH");
            otp(client, null, sms, phone, other(code), "openid").then().statusCode(403)
                    .body("error_description", equalTo(WRONG_PHONE));
        }
        // Two of the three attempts used: the right code still works.
        redis.execute("SCRIPT", "FLUSH");
        otp(client, null, sms, phone, code, "openid").then().statusCode(200);
    }

    @Test
    void threeWrongGuessesKillTheCode() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.publicClient(sms.name());
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        for (int i = 0; i < 3; i++) {
            otp(client, null, sms, phone, other(code), "openid").then().statusCode(403)
                    .body("error_description", equalTo(WRONG_PHONE));
        }
        otp(client, null, sms, phone, code, "openid").then().statusCode(403)
                .body("error", equalTo("invalid_grant"))
                .body("error_description",
                        equalTo("You've reached the maximum number of attempts. Please try to login again."));
    }

    @Test
    void hundredWrongCodesInAnHourLockTheRecipientAcrossNewCodes() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.publicClient(sms.name());
        String phone = Fixtures.phoneNumber();
        int wrong = 0;
        String code = null;
        while (wrong < 99) {
            code = Fixtures.code();
            fx.issue(client, sms, phone, code); // a new code does not reset the count
            for (int i = 0; i < 3 && wrong < 99; i++, wrong++) {
                otp(client, null, sms, phone, other(code), null).then().statusCode(403);
            }
        }
        code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        otp(client, null, sms, phone, other(code), null).then().statusCode(429)
                .body("error", equalTo("too_many_attempts")).header("Retry-After", notNullValue());
        // Even the right code of a fresh start is refused now, with the lock's remaining time.
        code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        Response locked = otp(client, null, sms, phone, code, null);
        locked.then().statusCode(429).body("error", equalTo("too_many_attempts"));
        long retryAfter = Long.parseLong(locked.header("Retry-After"));
        assertTrue(retryAfter > 3000 && retryAfter <= 3600, "Retry-After " + retryAfter);
        assertNotNull(fx.get(OtpState.lockKey(sms.name(), phone)));
    }

    @Test
    void hundredConcurrentGuessesEvaluateAtMostMaxAttemptsAndAtMostOneSucceeds() throws Exception {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.publicClient(sms.name());
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);

        // 99 wrong guesses and the right one, all at once.
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String guess = i == 50 ? code : other(code, i);
            calls.add(() -> otp(client, null, sms, phone, guess, "openid"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(100);
        List<Response> responses = new ArrayList<>();
        try {
            for (Future<Response> f : pool.invokeAll(calls)) {
                responses.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        long ok = responses.stream().filter(r -> r.statusCode() == 200).count();
        long evaluatedWrong = responses.stream()
                .filter(r -> r.statusCode() == 403 && WRONG_PHONE.equals(r.path("error_description"))).count();
        long other = responses.size() - ok - evaluatedWrong;
        assertTrue(ok <= 1, "successes: " + ok);
        assertTrue(ok + evaluatedWrong <= 3, "evaluated: " + (ok + evaluatedWrong));
        assertEquals(100, ok + evaluatedWrong + other);
        responses.stream().filter(r -> r.statusCode() != 200).forEach(r -> assertEquals(403, r.statusCode()));
    }

    @Test
    void userIsCreatedOnceAndCountedOnEachLogin() {
        ConnectionConfig email = fx.email();
        ClientConfig client = fx.publicClient(email.name());
        String address = Fixtures.emailAddress();
        String first = Fixtures.code();
        fx.issue(client, email, address, first);
        String sub1 = Jwts.verify(otp(client, null, email, address, first, "openid").then().statusCode(200)
                .extract().path("id_token")).getSubject();
        String second = Fixtures.code();
        fx.issue(client, email, address, second);
        String sub2 = Jwts.verify(otp(client, null, email, address, second, "openid").then().statusCode(200)
                .extract().path("id_token")).getSubject();
        assertEquals(sub1, sub2);
    }

    @Test
    void disabledSignupRefusesUnknownRecipientsLikeAWrongCode() {
        ConnectionConfig sms = fx.connection("sms", null, true);
        ClientConfig client = fx.publicClient(sms.name());
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        otp(client, null, sms, phone, code, "openid").then().statusCode(403)
                .body("error", equalTo("invalid_grant")).body("error_description", equalTo(WRONG_PHONE));
    }

    @Test
    void grantNotEnabledForTheClientIsUnauthorizedClient() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.client(null, List.of(sms.name()), List.of(Grants.AUTHORIZATION_CODE), null, null);
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        otp(client, null, sms, phone, code, "openid").then().statusCode(403)
                .body("error", equalTo("unauthorized_client"));
        assertTrue(fx.codeExists(sms, phone), "a refused client must not burn the code");
    }

    @Test
    void confidentialClientsMustPresentTheirSecret() {
        ConnectionConfig sms = fx.sms();
        String secret = Fixtures.secret();
        ClientConfig client = fx.client(secret, List.of(sms.name()), List.of(Grants.PASSWORDLESS_OTP), null, null);
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        otp(client, null, sms, phone, code, "openid").then().statusCode(401).body("error", equalTo("invalid_client"));
        otp(client, "wrong" + secret, sms, phone, code, "openid").then().statusCode(401);
        // client_secret_basic works as well as client_secret_post.
        given().auth().preemptive().basic(client.clientId(), secret).contentType(ContentType.URLENC)
                .formParam("grant_type", Grants.PASSWORDLESS_OTP).formParam("realm", sms.name())
                .formParam("username", phone).formParam("otp", code).post("/oauth/token")
                .then().statusCode(200);
    }

    @Test
    void badRequestsGetOAuthErrorsNeverStackTraces() {
        given().contentType(ContentType.URLENC).formParam("client_id", "x").post("/oauth/token").then()
                .statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType(ContentType.URLENC).formParam("grant_type", "password").post("/oauth/token").then()
                .statusCode(400).body("error", equalTo("unsupported_grant_type"));
        given().contentType(ContentType.URLENC).formParam("grant_type", Grants.PASSWORDLESS_OTP)
                .formParam("client_id", "nobody").post("/oauth/token").then()
                .statusCode(401).body("error", equalTo("invalid_client"));
        String body = given().contentType(ContentType.JSON).body("{not json").post("/oauth/token").then()
                .statusCode(400).body("error", equalTo("invalid_request")).extract().asString();
        assertFalse(body.contains("Exception") || body.contains("java."), body);
        given().contentType(ContentType.TEXT).body("x").post("/oauth/token").then().statusCode(415)
                .body("error", equalTo("invalid_request"));
    }

    private static String other(String code) {
        return other(code, 1);
    }

    /** A six-digit code different from {@code code}. */
    private static String other(String code, int salt) {
        int c = Integer.parseInt(code);
        return String.format("%06d", (c + 1 + salt) % 1_000_000);
    }
}
