package dev.latchkey.token.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.Fixtures;
import dev.latchkey.token.service.Grants;

/** {@code GET /authorize} (the hosted login page) and the demo regular web app under {@code /demo}. */
@QuarkusTest
class LoginPageTest {

    @Inject
    Fixtures fx;

    private static Map<String, String> params(String encoded) {
        Map<String, String> m = new HashMap<>();
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    private static String callback() {
        return "http://localhost:" + RestAssured.port + "/demo/callback";
    }

    private ClientConfig demoClient(String... connections) {
        return fx.publish(new ClientConfig(Fixtures.unique("demo"), "Demo " + Fixtures.unique("app"), "regular_web",
                null, List.of(callback(), Fixtures.REDIRECT), List.of(), List.of(connections),
                List.of(Grants.AUTHORIZATION_CODE, Grants.IMPLICIT), null, null, null, null));
    }

    @Test
    void untrustedRequestsGetOurErrorPageNeverARedirect() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = demoClient(sms.name());
        given().redirects().follow(false).queryParam("client_id", "nope-" + Fixtures.unique("x"))
                .queryParam("redirect_uri", Fixtures.REDIRECT).queryParam("response_type", "code")
                .get("/authorize").then().statusCode(400).header("Location", (String) null)
                .body(containsString("Unknown or missing client_id"));
        given().redirects().follow(false).queryParam("client_id", client.clientId())
                .queryParam("redirect_uri", "https://evil.example.com/cb").queryParam("response_type", "code")
                .get("/authorize").then().statusCode(400).header("Location", (String) null)
                .body(containsString("not registered"), not(containsString("evil.example.com")));
    }

    @Test
    void badParametersGoBackToTheAppWithState() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = demoClient(sms.name());
        String noPkce = given().redirects().follow(false).queryParam("client_id", client.clientId())
                .queryParam("redirect_uri", Fixtures.REDIRECT).queryParam("response_type", "code")
                .queryParam("state", "s1").get("/authorize").then().statusCode(302).extract().header("Location");
        Map<String, String> q = params(URI.create(noPkce).getRawQuery());
        assertEquals("invalid_request", q.get("error"));
        assertEquals("s1", q.get("state"));
        String noNonce = given().redirects().follow(false).queryParam("client_id", client.clientId())
                .queryParam("redirect_uri", Fixtures.REDIRECT).queryParam("response_type", "id_token")
                .queryParam("state", "s2").get("/authorize").then().statusCode(302).extract().header("Location");
        assertTrue(noNonce.startsWith(Fixtures.REDIRECT + "#error=invalid_request"), noNonce);
        String otherConnection = given().redirects().follow(false).queryParam("client_id", client.clientId())
                .queryParam("redirect_uri", Fixtures.REDIRECT).queryParam("response_type", "token")
                .queryParam("connection", "not-enabled").get("/authorize").then().statusCode(302).extract()
                .header("Location");
        assertTrue(otherConnection.contains("error=invalid_request"), otherConnection);
    }

    @Test
    void pageIsAccessibleSelfContainedAndSpeaksTheAskedLanguage() {
        ConnectionConfig sms = fx.sms();
        ConnectionConfig email = fx.email();
        ClientConfig client = demoClient(sms.name(), email.name());
        Response page = given().queryParam("client_id", client.clientId()).queryParam("redirect_uri", callback())
                .queryParam("response_type", "code").queryParam("code_challenge", "x".repeat(43))
                .queryParam("code_challenge_method", "S256").queryParam("connection", sms.name())
                .header("Accept-Language", "fr-CA,fr;q=0.9,en;q=0.5").get("/authorize");
        page.then().statusCode(200).header("Cache-Control", "no-store")
                .header("Content-Security-Policy", containsString("script-src 'nonce-"))
                .body(containsString("<html lang=\"fr\">"), containsString("Connexion à " + client.name()),
                        containsString("<label for=\"phone\">"), containsString("<label for=\"country\">"),
                        containsString("<label for=\"code\">"), containsString("autocomplete=\"one-time-code\""),
                        containsString("inputmode=\"numeric\""), containsString("data-iso=\"CA\" selected"),
                        containsString("/passwordless/start"), containsString("\"resend_seconds\":30"),
                        not(containsString("src=\"http")), not(containsString("<link")));
        // The nonce of the CSP is the one on the script: nothing else may run.
        String csp = page.header("Content-Security-Policy");
        String nonce = csp.substring(csp.indexOf("'nonce-") + 7, csp.indexOf('\'', csp.indexOf("'nonce-") + 7));
        assertTrue(page.asString().contains("<script nonce=\"" + nonce + "\">"));
        // The other connection is offered; ui_locales wins over Accept-Language.
        given().queryParam("client_id", client.clientId()).queryParam("redirect_uri", callback())
                .queryParam("response_type", "id_token").queryParam("nonce", "n").queryParam("ui_locales", "de-AT en")
                .queryParam("connection", email.name()).header("Accept-Language", "fr").get("/authorize").then()
                .statusCode(200).body(containsString("<html lang=\"de\">"), containsString("type=\"email\""),
                        containsString("autocomplete=\"email\""), containsString("connection=" + sms.name()));
    }

    @Test
    void demoAppLogsInThroughTheHostedPageAndShowsTheIdTokenClaims() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = demoClient(sms.name());
        Response login = given().redirects().follow(false).queryParam("client_id", client.clientId())
                .queryParam("connection", sms.name()).get("/demo/login");
        login.then().statusCode(302);
        String cookie = login.cookie("latchkey_demo");
        assertNotNull(cookie);
        URI authorize = URI.create(login.header("Location"));
        assertEquals("/authorize", authorize.getPath());
        Map<String, String> a = params(authorize.getRawQuery());
        assertEquals(callback(), a.get("redirect_uri"));
        assertEquals("S256", a.get("code_challenge_method"));
        given().urlEncodingEnabled(false).get(login.header("Location")).then().statusCode(200)
                .body(containsString("Sign in to Demo"));

        // What the page does once the person typed the code: verify (a check), then verify_redirect with the
        // authorize parameters; otp-service's start is stood in for by writing the code as it does.
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        given().contentType("application/json").body(Map.of("client_id", client.clientId(), "connection",
                sms.name(), "phone_number", phone, "verification_code", "000000".equals(code) ? "111111" : "000000"))
                .post("/passwordless/verify").then().statusCode(403);
        given().contentType("application/json").body(Map.of("client_id", client.clientId(), "connection",
                sms.name(), "phone_number", phone, "verification_code", code)).post("/passwordless/verify").then()
                .statusCode(200);
        var redirect = given().redirects().follow(false);
        a.forEach(redirect::queryParam);
        String back = redirect.queryParam("phone_number", phone).queryParam("verification_code", code)
                .get("/passwordless/verify_redirect").then().statusCode(302).extract().header("Location");
        assertTrue(back.startsWith(callback() + "?"), back);
        Map<String, String> cb = params(URI.create(back).getRawQuery());
        assertEquals(a.get("state"), cb.get("state"));

        // Without the browser's cookie the callback refuses (state is bound to the browser).
        given().queryParam("code", cb.get("code")).queryParam("state", cb.get("state")).get("/demo/callback").then()
                .statusCode(400).body(containsString("state does not match"));
        given().cookie("latchkey_demo", cookie).queryParam("code", cb.get("code")).queryParam("state", cb.get("state"))
                .get("/demo/callback").then().log().ifValidationFails().statusCode(200)
                .body(containsString("You are signed in"),
                        containsString("&quot;nonce&quot; : &quot;" + a.get("nonce")),
                        containsString("&quot;phone_number&quot; : &quot;" + phone),
                        containsString("&quot;aud&quot; : &quot;" + client.clientId()));
        // The code was spent by that exchange.
        given().cookie("latchkey_demo", cookie).queryParam("code", cb.get("code")).queryParam("state", cb.get("state"))
                .get("/demo/callback").then().statusCode(400).body(containsString("invalid_grant"));
    }
}
