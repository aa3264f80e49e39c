package dev.latchkey.token.api;

import static dev.latchkey.token.api.RedirectFlowTest.challenge;
import static dev.latchkey.token.api.RedirectFlowTest.noRedirects;
import static dev.latchkey.token.api.RedirectFlowTest.params;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.common.auth.ManagementScopes;
import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.Fixtures;
import dev.latchkey.token.Jwts;
import dev.latchkey.token.service.Grants;
import dev.latchkey.token.store.LoginTickets;

/**
 * Cross-origin authentication as auth0.js {@code passwordlessLogin} does it: {@code POST /co/authenticate} from the
 * app's origin, then {@code GET /authorize?login_ticket=}. The ticket rules: one use, short life, its own client, back
 * to the origin that asked for it.
 */
@QuarkusTest
class CrossOriginLoginTest {

    static final String APP = "https://app.example.com";

    @Inject
    Fixtures fx;
    @Inject
    RedisDataSource redis;
    @Inject
    AuthConfig auth;
    @Inject
    ReactiveRedisDataSource reactiveRedis;
    @Inject
    ObjectMapper mapper;

    static Response authenticate(String origin, ClientConfig client, ConnectionConfig connection, String username,
            String otp) {
        var req = given().contentType(ContentType.JSON).header("Auth0-Client", "eyJuYW1lIjoiYXV0aDAuanMifQ");
        if (origin != null) {
            req = req.header("Origin", origin);
        }
        return req.body(Map.of("client_id", client.clientId(), "credential_type", Grants.PASSWORDLESS_OTP, "realm",
                connection.name(), "username", username, "otp", otp)).post("/co/authenticate");
    }

    /** A login ticket for a fresh user of {@code client} on {@code connection} (email). */
    String ticket(ClientConfig client, ConnectionConfig email) {
        String address = Fixtures.emailAddress();
        String code = Fixtures.code();
        fx.issue(client, email, address, code);
        return authenticate(APP, client, email, address, code).then().statusCode(200).extract()
                .path("login_ticket");
    }

    static Response authorize(ClientConfig client, String ticket, Map<String, String> extra) {
        var req = noRedirects().queryParam("client_id", client.clientId()).queryParam("login_ticket", ticket)
                .queryParam("state", "st-co");
        for (Map.Entry<String, String> e : extra.entrySet()) {
            req = req.queryParam(e.getKey(), e.getValue());
        }
        return req.get("/authorize");
    }

    static Map<String, String> query(Response redirect, String prefix) {
        String location = redirect.header("Location");
        assertNotNull(location, redirect.asString());
        assertTrue(location.startsWith(prefix), location);
        return params(location.substring(prefix.length()));
    }

    @Test
    void ticketFromTheAppOriginGivesACodeThatIsExchangedWithPkce() throws Exception {
        ConnectionConfig email = fx.email();
        ClientConfig client = fx.originClient(APP, email.name());
        String address = Fixtures.emailAddress();
        String code = Fixtures.code();
        fx.issue(client, email, address, code);

        Response co = authenticate(APP, client, email, address, code);
        co.then().statusCode(200).header("Access-Control-Allow-Origin", APP)
                .header("Access-Control-Allow-Credentials", "true").header("Cache-Control", "no-store")
                .body("login_ticket", notNullValue()).body("co_id", notNullValue())
                .body("co_verifier", notNullValue());
        String ticket = co.path("login_ticket");
        assertTrue(ticket.length() >= 43, "256 random bits");
        assertFalse(fx.codeExists(email, address), "the code is spent as by the OTP grant");
        // Stored hashed, with a short life.
        String key = LoginTickets.key(ticket);
        assertFalse(key.contains(ticket));
        assertNotNull(fx.get(key));
        assertFalse(fx.get(key).contains(ticket));
        long ttl = redis.execute("PTTL", key).toLong();
        assertTrue(ttl > 0 && ttl <= 60_000, "ticket TTL " + ttl);

        String verifier = "co-verifier-" + Fixtures.secret();
        Response redirect = authorize(client, ticket, Map.of("response_type", "code", "redirect_uri",
                Fixtures.REDIRECT, "scope", "openid email", "code_challenge", challenge(verifier),
                "code_challenge_method", "S256", "nonce", "n-co"));
        assertEquals(302, redirect.statusCode(), redirect.asString());
        Map<String, String> back = query(redirect, Fixtures.REDIRECT + "?");
        assertEquals("st-co", back.get("state"));
        assertNull(back.get("error"), back.toString());

        Response tokens = given().contentType(ContentType.URLENC).formParam("grant_type", "authorization_code")
                .formParam("client_id", client.clientId()).formParam("code", back.get("code"))
                .formParam("redirect_uri", Fixtures.REDIRECT).formParam("code_verifier", verifier)
                .post("/oauth/token");
        tokens.then().statusCode(200);
        JWTClaimsSet id = Jwts.verify(tokens.path("id_token"));
        assertEquals(address, id.getClaim("email"));
        assertEquals("n-co", id.getClaim("nonce"));

        // The same ticket again: refused at the app, in the redirect's error format.
        Map<String, String> again = query(authorize(client, ticket, Map.of("response_type", "code", "redirect_uri",
                Fixtures.REDIRECT, "code_challenge", challenge(verifier), "code_challenge_method", "S256")),
                Fixtures.REDIRECT + "?");
        assertEquals("access_denied", again.get("error"));
        assertEquals("st-co", again.get("state"));
        assertNull(again.get("code"));
    }

    @Test
    void implicitResponseCarriesTheIdTokenWithTheNonceInTheFragment() throws Exception {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.originClient(APP, sms.name());
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        String ticket = authenticate(APP, client, sms, phone, code).then().statusCode(200).extract()
                .path("login_ticket");
        Map<String, String> fragment = query(authorize(client, ticket, Map.of("response_type", "token id_token",
                "redirect_uri", Fixtures.REDIRECT, "scope", "openid phone", "nonce", "n-implicit")),
                Fixtures.REDIRECT + "#");
        JWTClaimsSet id = Jwts.verify(fragment.get("id_token"));
        assertEquals(phone, id.getClaim("phone_number"));
        assertEquals("n-implicit", id.getClaim("nonce"));
        assertNotNull(fragment.get("access_token"));
        assertEquals("st-co", fragment.get("state"));
    }

    @Test
    void wrongCodeGetsTheOtpGrantsAnswerAndCountsTheAttempt() {
        ConnectionConfig email = fx.email();
        ClientConfig client = fx.originClient(APP, email.name());
        String address = Fixtures.emailAddress();
        String code = Fixtures.code();
        fx.issue(client, email, address, code);
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 3; i++) {
            authenticate(APP, client, email, address, wrong).then().statusCode(403)
                    .header("Access-Control-Allow-Origin", APP)
                    .body("error", equalTo("invalid_grant"))
                    .body("error_description", equalTo("Wrong email or verification code."));
        }
        // Three wrong guesses killed the code, as they do at /oauth/token.
        authenticate(APP, client, email, address, code).then().statusCode(403)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", equalTo(
                        "You've reached the maximum number of attempts. Please try to login again."));
    }

    @Test
    void anOriginTheClientDoesNotListIsRefusedBeforeTheCodeIsTried() {
        ConnectionConfig email = fx.email();
        ClientConfig client = fx.originClient(APP, email.name());
        ClientConfig other = fx.originClient("https://other-app.example.org", email.name());
        String address = Fixtures.emailAddress();
        String code = Fixtures.code();
        fx.issue(client, email, address, code);
        Response r = authenticate("https://other-app.example.org", client, email, address, code);
        r.then().statusCode(403).body("error", equalTo("access_denied"));
        assertNull(r.header("Access-Control-Allow-Origin"));
        assertTrue(fx.codeExists(email, address), "nothing was verified");
        assertNotNull(other);
        // Without an Origin there is no page to bind the ticket to.
        authenticate(null, client, email, address, code).then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        assertTrue(fx.codeExists(email, address));
    }

    @Test
    void aTicketIsGoodOnlyForItsClient() {
        ConnectionConfig email = fx.email();
        ClientConfig client = fx.originClient(APP, email.name());
        ClientConfig other = fx.originClient(APP, email.name());
        String ticket = ticket(client, email);
        Map<String, String> back = query(authorize(other, ticket, Map.of("response_type", "token id_token",
                "redirect_uri", Fixtures.REDIRECT, "nonce", "n")), Fixtures.REDIRECT + "#");
        assertEquals("access_denied", back.get("error"));
        assertNull(back.get("id_token"));
        // Presenting it spent it: its own client cannot use it any more either.
        assertEquals("access_denied", query(authorize(client, ticket, Map.of("response_type", "token id_token",
                "redirect_uri", Fixtures.REDIRECT, "nonce", "n")), Fixtures.REDIRECT + "#").get("error"));
    }

    @Test
    void aTicketGoesBackOnlyToARegisteredCallbackOnTheOriginThatAskedForIt() {
        ConnectionConfig email = fx.email();
        ClientConfig client = fx.originClient(APP, email.name());
        String ticket = ticket(client, email);
        // Not registered: our error page, no redirect, and the ticket is not taken.
        Response unregistered = authorize(client, ticket, Map.of("response_type", "token id_token", "redirect_uri",
                "https://evil.example.net/callback", "nonce", "n"));
        assertEquals(400, unregistered.statusCode());
        assertNull(unregistered.header("Location"));
        assertNotNull(query(authorize(client, ticket, Map.of("response_type", "token id_token", "redirect_uri",
                Fixtures.REDIRECT, "nonce", "n")), Fixtures.REDIRECT + "#").get("id_token"));
        // Registered, but on another origin than the page that got the ticket.
        Map<String, String> elsewhere = query(
                authorize(client, ticket(client, email), Map.of("response_type", "token id_token",
                        "redirect_uri", "https://elsewhere.example.net/callback", "nonce", "n")),
                "https://elsewhere.example.net/callback#");
        assertEquals("access_denied", elsewhere.get("error"));
        assertNull(elsewhere.get("id_token"));
    }

    @Test
    void anExpiredOrUnknownTicketIsRefusedAtTheApp() {
        ConnectionConfig email = fx.email();
        ClientConfig client = fx.originClient(APP, email.name());
        String ticket = ticket(client, email);
        // What Redis does when the ticket's TTL ends.
        redis.execute("PEXPIRE", LoginTickets.key(ticket), "1");
        await(() -> fx.get(LoginTickets.key(ticket)) == null);
        assertEquals("access_denied", query(authorize(client, ticket, Map.of("response_type", "token id_token",
                "redirect_uri", Fixtures.REDIRECT, "nonce", "n")), Fixtures.REDIRECT + "#").get("error"));
        assertEquals("access_denied", query(authorize(client, "made-up-" + Fixtures.secret(), Map.of(
                "response_type", "token id_token", "redirect_uri", Fixtures.REDIRECT, "nonce", "n")),
                Fixtures.REDIRECT + "#").get("error"));
    }

    /**
     * Redis failing when the ticket is taken: the browser is sent back to the app with {@code temporarily_unavailable}
     * (what auth0.js's parseHash reports), not shown the API's JSON. The failure is the one the Redis client gives when
     * its server is gone.
     */
    @Test
    void aTicketThatCannotBeReadSendsTheBrowserBackWithTemporarilyUnavailable() {
        ConnectionConfig email = fx.email();
        ClientConfig client = fx.originClient(APP, email.name());
        String ticket = ticket(client, email);
        QuarkusMock.installMockForType(new LoginTickets(reactiveRedis, mapper) {

            @Override
            public Uni<Ticket> take(String t) {
                return Uni.createFrom().failure(new ConnectException("Connection refused: /127.0.0.1:6379"));
            }
        }, LoginTickets.class);

        Map<String, String> back = query(authorize(client, ticket, Map.of("response_type", "token id_token",
                "redirect_uri", Fixtures.REDIRECT, "nonce", "n")), Fixtures.REDIRECT + "#");
        assertEquals("temporarily_unavailable", back.get("error"));
        assertEquals("st-co", back.get("state"));
        assertNull(back.get("id_token"));
        assertNotNull(fx.get(LoginTickets.key(ticket)), "the ticket was not taken");
    }

    @Test
    void aBlockedUserGetsNoTicketAndATicketTakenBeforeTheBlockIsRefused() throws Exception {
        ConnectionConfig email = fx.email();
        ClientConfig client = fx.originClient(APP, email.name());
        String address = Fixtures.emailAddress();
        String code = Fixtures.code();
        fx.issue(client, email, address, code);
        String first = authenticate(APP, client, email, address, code).then().statusCode(200).extract()
                .path("login_ticket");
        String userId = Jwts.verify(query(authorize(client, first, Map.of("response_type", "token id_token",
                "redirect_uri", Fixtures.REDIRECT, "nonce", "n")), Fixtures.REDIRECT + "#").get("id_token"))
                .getSubject();
        String code2 = Fixtures.code();
        fx.issue(client, email, address, code2);
        String second = authenticate(APP, client, email, address, code2).then().statusCode(200).extract()
                .path("login_ticket");

        given().auth().oauth2(managementToken(ManagementScopes.UPDATE_USERS)).contentType(ContentType.JSON)
                .body(Map.of("blocked", true)).patch("/internal/users/" + userId).then().statusCode(200);

        Map<String, String> refused = query(authorize(client, second, Map.of("response_type", "token id_token",
                "redirect_uri", Fixtures.REDIRECT, "nonce", "n")), Fixtures.REDIRECT + "#");
        assertEquals("access_denied", refused.get("error"));
        assertNull(refused.get("id_token"));
        String code3 = Fixtures.code();
        fx.issue(client, email, address, code3);
        authenticate(APP, client, email, address, code3).then().statusCode(401)
                .body("error", equalTo("unauthorized")).body("error_description", equalTo("user is blocked"));
    }

    private String managementToken(String... scopes) {
        return fx.managementToken(auth.managementApiAudience(), scopes);
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(condition);
    }
}
