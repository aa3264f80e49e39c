package dev.latchkey.token.api;

import static dev.latchkey.token.api.CrossOriginLoginTest.APP;
import static dev.latchkey.token.api.RedirectFlowTest.noRedirects;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.Fixtures;
import dev.latchkey.token.Jwts;

/**
 * What Auth0's Lock needs from the tenant origin before it renders: the client's settings script
 * ({@code /client/{id}.js}), the country ({@code /user/geoloc/country}), and {@code response_mode=web_message}
 * answers to its silent probe and to its iframe login.
 */
@QuarkusTest
class LockEndpointsTest {

    private static final Pattern MESSAGE = Pattern.compile("response: (\\{.*?\\})\\};");

    @Inject
    Fixtures fx;
    @Inject
    ObjectMapper mapper;
    @Inject
    AuthConfig auth;

    @Test
    void clientScriptCallsSetClientWithTheEnabledPasswordlessConnectionsByStrategy() throws Exception {
        ConnectionConfig sms = fx.sms();
        ConnectionConfig email = fx.email();
        ClientConfig client = fx.originClient(APP, sms.name(), email.name(), "no-such-connection");
        Response r = given().header("Origin", APP).get("/client/" + client.clientId() + ".js?t1700000000000");
        r.then().statusCode(200).contentType(startsWith("application/javascript"))
                .header("Access-Control-Allow-Origin", APP).header("Cache-Control", containsString("max-age"));
        String body = r.asString();
        assertTrue(body.startsWith("Auth0.setClient(") && body.endsWith(");\n"), body);
        Map<?, ?> settings = mapper.readValue(body.substring("Auth0.setClient(".length(), body.length() - 3),
                Map.class);
        assertEquals(client.clientId(), settings.get("id"));
        assertEquals("latchkey", settings.get("tenant"));
        assertEquals(auth.issuerWithSlash() + "authorize", settings.get("authorize"));
        assertEquals(Fixtures.REDIRECT, settings.get("callback"));
        assertEquals(List.of(Map.of("name", "sms", "connections", List.of(Map.of("name", sms.name()))),
                Map.of("name", "email", "connections", List.of(Map.of("name", email.name())))),
                settings.get("strategies"));

        given().header("Origin", "https://other.example.org").get("/client/" + client.clientId() + ".js").then()
                .statusCode(200).header("Access-Control-Allow-Origin", nullValue());
        given().get("/client/" + Fixtures.unique("nobody") + ".js").then().statusCode(404)
                .contentType(startsWith("application/javascript"));
    }

    @Test
    void countryComesFromTheBrowsersLanguageWithCorsForListedOrigins() {
        String app = "https://" + Fixtures.unique("geo") + ".example.com";
        fx.originClient(app, fx.sms().name());
        given().header("Origin", app).header("Accept-Language", "en-GB,en;q=0.8").get("/user/geoloc/country")
                .then().statusCode(200).body("country_code", equalTo("GB"))
                .header("Access-Control-Allow-Origin", app);
        given().header("Origin", app).get("/user/geoloc/country").then().statusCode(200)
                .body("country_code", equalTo("US"));
        given().header("Origin", app).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "auth0-client").options("/user/geoloc/country").then()
                .statusCode(204).header("Access-Control-Allow-Origin", app)
                .header("Access-Control-Allow-Headers", "auth0-client");
        given().header("Origin", "https://unlisted.example.org").get("/user/geoloc/country").then()
                .statusCode(200).header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void silentProbeWithoutSessionPostsLoginRequiredToTheAllowedOrigin() throws Exception {
        ClientConfig client = fx.originClient(APP, fx.sms().name());
        Response r = probe(client, APP + "/login.html", Map.of());
        r.then().statusCode(200).contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("frame-ancestors " + APP))
                .header("X-Frame-Options", nullValue())
                .body(containsString("postMessage(authorizationResponse, targetOrigin)"))
                .body(containsString("var targetOrigin = \"" + APP + "\""));
        Map<?, ?> response = message(r);
        assertEquals("login_required", response.get("error"));
        assertEquals("st-probe", response.get("state"));

        // A page on an origin the client does not list gets no message at all, only our error page.
        probe(client, "https://evil.example.org/login.html", Map.of()).then().statusCode(400)
                .body(containsString("allowed_origins"));
    }

    @Test
    void loginTicketInAnIframeComesBackAsAWebMessageWithTokens() throws Exception {
        ConnectionConfig email = fx.email();
        ClientConfig client = fx.originClient(APP, email.name());
        String address = Fixtures.emailAddress();
        String code = Fixtures.code();
        fx.issue(client, email, address, code);
        String ticket = CrossOriginLoginTest.authenticate(APP, client, email, address, code).then().statusCode(200)
                .extract().path("login_ticket");
        Map<?, ?> response = message(probe(client, APP + "/login.html", Map.of("login_ticket", ticket)));
        assertEquals("st-probe", response.get("state"), response.toString());
        JWTClaimsSet id = Jwts.verify((String) response.get("id_token"));
        assertEquals(address, id.getStringClaim("email"));
        assertEquals("n-probe", id.getStringClaim("nonce"));
        assertTrue(response.get("access_token") instanceof String);
    }

    private static Response probe(ClientConfig client, String redirectUri, Map<String, String> extra) {
        return noRedirects().queryParam("client_id", client.clientId()).queryParam("response_type", "token id_token")
                .queryParam("response_mode", "web_message").queryParam("prompt", "none")
                .queryParam("redirect_uri", redirectUri).queryParam("scope", "openid email")
                .queryParam("state", "st-probe").queryParam("nonce", "n-probe").queryParams(extra).get("/authorize");
    }

    private Map<?, ?> message(Response r) throws Exception {
        r.then().statusCode(200);
        Matcher m = MESSAGE.matcher(r.asString());
        assertTrue(m.find(), r.asString());
        return mapper.readValue(m.group(1), Map.class);
    }
}
