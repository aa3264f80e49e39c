package dev.latchkey.token.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.JWTClaimsSet;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.Fixtures;
import dev.latchkey.token.Jwts;
import dev.latchkey.token.service.Grants;

/**
 * {@code GET /passwordless/verify_redirect} (magic links, auth0.js passwordlessVerify), the authorization_code grant
 * with PKCE, the implicit response, and the legacy {@code POST /passwordless/verify}.
 */
@QuarkusTest
class RedirectFlowTest {

    @Inject
    Fixtures fx;

    static RequestSpecification noRedirects() {
        return given().redirects().follow(false);
    }

    static Map<String, String> params(String encoded) {
        Map<String, String> m = new HashMap<>();
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            m.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    static String challenge(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void magicLinkGivesACodeThatAPublicClientExchangesWithPkce() throws Exception {
        ConnectionConfig email = fx.email();
        ClientConfig client = fx.publicClient(email.name());
        String address = Fixtures.emailAddress();
        String code = Fixtures.code();
        String verifier = "v".repeat(20) + Fixtures.secret().substring(0, 30);
        // authParams stored at start, as otp-service keeps them; the link itself carries only the basics.
        fx.issue(client, email, address, code, java.time.Duration.ofMinutes(5),
                "{\"scope\":\"openid email offline_access\",\"state\":\"st-1\",\"redirect_uri\":\"" + Fixtures.REDIRECT
                        + "\",\"response_type\":\"code\",\"nonce\":\"n-1\"}");

        Response r = noRedirects().queryParam("client_id", client.clientId()).queryParam("connection", email.name())
                .queryParam("email", address).queryParam("verification_code", code)
                .queryParam("code_challenge", challenge(verifier)).queryParam("code_challenge_method", "S256")
                .get("/passwordless/verify_redirect");
        r.then().statusCode(302);
        URI location = URI.create(r.header("Location"));
        assertEquals(Fixtures.REDIRECT, location.getScheme() + "://" + location.getHost() + location.getPath());
        Map<String, String> q = params(location.getRawQuery());
        assertEquals("st-1", q.get("state"));
        String authorizationCode = q.get("code");
        assertNotNull(authorizationCode);

        // Wrong verifier: refused, and the code is spent (one try only).
        exchange(client, authorizationCode, Fixtures.REDIRECT, verifier + "x").then().statusCode(403)
                .body("error", equalTo("invalid_grant"));
        exchange(client, authorizationCode, Fixtures.REDIRECT, verifier).then().statusCode(403);

        // A fresh code with the right verifier works once.
        String code2 = Fixtures.code();
        fx.issue(client, email, address, code2);
        String location2 = noRedirects().queryParam("client_id", client.clientId())
                .queryParam("connection", email.name()).queryParam("email", address)
                .queryParam("verification_code", code2).queryParam("redirect_uri", Fixtures.REDIRECT)
                .queryParam("response_type", "code").queryParam("scope", "openid email offline_access")
                .queryParam("nonce", "n-2").queryParam("code_challenge", challenge(verifier))
                .queryParam("code_challenge_method", "S256")
                .get("/passwordless/verify_redirect").then().statusCode(302).extract().header("Location");
        String ac2 = params(URI.create(location2).getRawQuery()).get("code");
        exchange(client, ac2, Fixtures.REDIRECT + "/other", verifier).then().statusCode(403)
                .body("error", equalTo("invalid_grant"));

        String code3 = Fixtures.code();
        fx.issue(client, email, address, code3);
        String location3 = noRedirects().queryParam("client_id", client.clientId())
                .queryParam("connection", email.name()).queryParam("email", address)
                .queryParam("verification_code", code3).queryParam("redirect_uri", Fixtures.REDIRECT)
                .queryParam("scope", "openid email offline_access").queryParam("nonce", "n-3")
                .queryParam("code_challenge", challenge(verifier)).queryParam("code_challenge_method", "S256")
                .get("/passwordless/verify_redirect").then().statusCode(302).extract().header("Location");
        String ac3 = params(URI.create(location3).getRawQuery()).get("code");
        Response tokens = exchange(client, ac3, Fixtures.REDIRECT, verifier);
        tokens.then().statusCode(200).body("refresh_token", notNullValue());
        JWTClaimsSet id = Jwts.verify(tokens.path("id_token"));
        assertEquals("n-3", id.getClaim("nonce"));
        assertEquals(address, id.getClaim("email"));
        assertEquals(List.of(client.clientId()), id.getAudience());
        exchange(client, ac3, Fixtures.REDIRECT, verifier).then().statusCode(403); // used
    }

    @Test
    void publicClientWithoutPkceGetsAnErrorAtItsCallbackAndKeepsItsCode() {
        ConnectionConfig email = fx.email();
        ClientConfig client = fx.publicClient(email.name());
        String address = Fixtures.emailAddress();
        String code = Fixtures.code();
        fx.issue(client, email, address, code);
        String location = noRedirects().queryParam("client_id", client.clientId())
                .queryParam("connection", email.name()).queryParam("email", address)
                .queryParam("verification_code", code).queryParam("redirect_uri", Fixtures.REDIRECT)
                .queryParam("response_type", "code").queryParam("state", "s")
                .get("/passwordless/verify_redirect").then().statusCode(302).extract().header("Location");
        Map<String, String> q = params(URI.create(location).getRawQuery());
        assertEquals("invalid_request", q.get("error"));
        assertEquals("s", q.get("state"));
        assertTrue(fx.codeExists(email, address));
    }

    @Test
    void unregisteredRedirectUriIsNeverRedirectedTo() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.publicClient(sms.name());
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        Response r = noRedirects().queryParam("client_id", client.clientId()).queryParam("connection", sms.name())
                .queryParam("phone_number", phone).queryParam("verification_code", code)
                .queryParam("redirect_uri", "https://evil.example.net/steal").queryParam("response_type", "token")
                .queryParam("nonce", "n").get("/passwordless/verify_redirect");
        r.then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("not registered"));
        assertNull(r.header("Location"));
        assertTrue(fx.codeExists(sms, phone), "nothing was verified");
        // Unknown client: our page too.
        noRedirects().queryParam("client_id", "nobody").queryParam("redirect_uri", Fixtures.REDIRECT)
                .get("/passwordless/verify_redirect").then().statusCode(400).header("Location", (String) null);
    }

    @Test
    void implicitFlowPutsTokensInTheFragmentWithNonceAndAtHash() throws Exception {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.publicClient(sms.name());
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        String location = noRedirects().queryParam("client_id", client.clientId())
                .queryParam("connection", sms.name()).queryParam("phone_number", phone)
                .queryParam("verification_code", code).queryParam("redirect_uri", Fixtures.REDIRECT)
                .queryParam("response_type", "token id_token").queryParam("scope", "openid phone offline_access")
                .queryParam("state", "xyz").queryParam("nonce", "nonce-42")
                .get("/passwordless/verify_redirect").then().statusCode(302).extract().header("Location");
        URI uri = URI.create(location);
        assertNull(uri.getRawQuery());
        Map<String, String> f = params(uri.getRawFragment());
        assertEquals("xyz", f.get("state"));
        assertEquals("Bearer", f.get("token_type"));
        assertFalse(f.containsKey("refresh_token"), "no refresh token through the browser");
        JWTClaimsSet id = Jwts.verify(f.get("id_token"));
        assertEquals("nonce-42", id.getClaim("nonce"));
        assertEquals(phone, id.getClaim("phone_number"));
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(f.get("access_token").getBytes(StandardCharsets.US_ASCII));
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)),
                id.getClaim("at_hash"));
        Jwts.verify(f.get("access_token"));
    }

    @Test
    void wrongCodeRedirectsWithAccessDeniedToTheRegisteredCallback() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.publicClient(sms.name());
        String phone = Fixtures.phoneNumber();
        fx.issue(client, sms, phone, "123456");
        String location = noRedirects().queryParam("client_id", client.clientId())
                .queryParam("connection", sms.name()).queryParam("phone_number", phone)
                .queryParam("verification_code", "654321").queryParam("redirect_uri", Fixtures.REDIRECT)
                .queryParam("response_type", "token").queryParam("state", "s1")
                .get("/passwordless/verify_redirect").then().statusCode(302).extract().header("Location");
        Map<String, String> f = params(URI.create(location).getRawFragment());
        assertEquals("access_denied", f.get("error"));
        assertEquals("Wrong phone number or verification code.", f.get("error_description"));
        assertEquals("s1", f.get("state"));
    }

    @Test
    void auth0JsChecksWithPasswordlessVerifyThenRedirectsWithTheSameCode() {
        ConnectionConfig email = fx.email();
        ClientConfig client = fx.publicClient(email.name());
        String address = Fixtures.emailAddress();
        String code = Fixtures.code();
        fx.issue(client, email, address, code);
        // What auth0.js posts first: a check that leaves the code in place.
        given().contentType(ContentType.JSON).body(Map.of("connection", email.name(), "verification_code", code,
                "email", address, "client_id", client.clientId())).post("/passwordless/verify")
                .then().statusCode(200);
        assertTrue(fx.codeExists(email, address));
        given().contentType(ContentType.JSON).body(Map.of("connection", email.name(), "verification_code", "000000",
                "email", address, "client_id", client.clientId())).post("/passwordless/verify")
                .then().statusCode(403).body("error_description", equalTo("Wrong email or verification code."));
        // Then the browser goes to verify_redirect with the same code.
        String location = noRedirects().queryParam("client_id", client.clientId())
                .queryParam("connection", email.name()).queryParam("email", address)
                .queryParam("verification_code", code).queryParam("redirect_uri", Fixtures.REDIRECT)
                .queryParam("response_type", "id_token").queryParam("scope", "openid email")
                .queryParam("nonce", "abc").get("/passwordless/verify_redirect").then().statusCode(302)
                .extract().header("Location");
        Map<String, String> f = params(URI.create(location).getRawFragment());
        assertEquals(address, Jwts.verify(f.get("id_token")).getClaim("email"));
        assertFalse(fx.codeExists(email, address));
    }

    @Test
    void legacyPasswordGrantAtPasswordlessVerifyReturnsTokens() {
        ConnectionConfig sms = fx.sms();
        String secret = Fixtures.secret();
        ClientConfig client = fx.client(secret, List.of(sms.name()), List.of(Grants.LEGACY_RO), null, null);
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        Response r = given().contentType(ContentType.URLENC).formParam("grant_type", "password")
                .formParam("client_id", client.clientId()).formParam("client_secret", secret)
                .formParam("connection", sms.name()).formParam("username", phone).formParam("password", code)
                .formParam("scope", "openid phone").post("/passwordless/verify");
        r.then().statusCode(200).body("token_type", equalTo("Bearer"));
        assertEquals(phone, Jwts.verify(r.path("id_token")).getClaim("phone_number"));
    }

    @Test
    void formPostResponseModeRendersAnEscapedAutoSubmittingForm() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.publicClient(sms.name());
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        String html = noRedirects().queryParam("client_id", client.clientId()).queryParam("connection", sms.name())
                .queryParam("phone_number", phone).queryParam("verification_code", code)
                .queryParam("redirect_uri", Fixtures.REDIRECT).queryParam("response_type", "id_token")
                .queryParam("response_mode", "form_post").queryParam("nonce", "n")
                .queryParam("state", "<script>x</script>").get("/passwordless/verify_redirect")
                .then().statusCode(200).extract().asString();
        assertTrue(html.contains("action=\"" + Fixtures.REDIRECT + "\""), html);
        assertTrue(html.contains("name=\"id_token\""), html);
        assertFalse(html.contains("<script>x</script>"), html);
    }

    static Response exchange(ClientConfig client, String code, String redirectUri, String verifier) {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "authorization_code")
                .formParam("client_id", client.clientId()).formParam("code", code)
                .formParam("redirect_uri", redirectUri).formParam("code_verifier", verifier).post("/oauth/token");
    }
}
