package dev.latchkey.token.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.Fixtures;
import dev.latchkey.token.service.Grants;

/**
 * One set of authorize rules: a request that breaks one gets the same answer from {@code GET /authorize} (before the
 * login page) as from {@code GET /passwordless/verify_redirect} (after the code is typed), and the code typed is not
 * spent by a request that could not have led anywhere.
 */
@QuarkusTest
class AuthorizationRulesTest {

    @Inject
    Fixtures fx;

    @Inject
    AuthConfig auth;

    /** What each endpoint answers: the redirect, or the status and page (our error page, a form post). */
    private static String answer(Response r) {
        return r.statusCode() == 302 ? "302 " + r.header("Location") : r.statusCode() + " " + r.asString();
    }

    private static Response get(String path, Map<String, String> params) {
        var request = given().redirects().follow(false);
        params.forEach(request::queryParam);
        return request.get(path);
    }

    private static Map<String, String> with(Map<String, String> base, String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>(base);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void authorizeAndVerifyRedirectRefuseTheSameRequestsInTheSameWords() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.publicClient(sms.name());
        ClientConfig noImplicit = fx.client(null, List.of(sms.name()),
                List.of(Grants.PASSWORDLESS_OTP, Grants.AUTHORIZATION_CODE), null, null);
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        String challenge = "c".repeat(43);
        Map<String, String> base = Map.of("client_id", client.clientId(), "redirect_uri", Fixtures.REDIRECT,
                "connection", sms.name(), "state", "st-9");
        Map<String, String> pkce = with(base, "response_type", "code", "code_challenge", challenge,
                "code_challenge_method", "S256");
        record Case(Map<String, String> params, String expected) {
        }
        List<Case> cases = List.of(
                new Case(with(base, "response_type", "code"), "302 " + Fixtures.REDIRECT + "?error=invalid_request"),
                new Case(with(pkce, "code_challenge_method", "plain"), "error=invalid_request"),
                new Case(with(base, "response_type", "id_token"), "#error=invalid_request"),
                new Case(with(base, "response_type", "code token"), "#error=unsupported_response_type"),
                new Case(with(base, "response_type", "token", "response_mode", "query"), "error=invalid_request"),
                new Case(with(pkce, "audience", auth.managementApiAudience()), "?error=access_denied"),
                new Case(with(pkce, "audience", "https://nothing.example.com/"), "?error=access_denied"),
                new Case(with(base, "client_id", noImplicit.clientId(), "response_type", "token"),
                        "#error=unauthorized_client"),
                new Case(with(base, "response_type", "id_token", "response_mode", "form_post"),
                        "name=\"error\" value=\"invalid_request\""),
                new Case(with(base, "redirect_uri", "https://evil.example.com/cb", "response_type", "code"),
                        "400 "),
                new Case(with(pkce, "client_id", Fixtures.unique("nobody")), "Unknown or missing client_id"));
        for (Case c : cases) {
            String page = answer(get("/authorize", c.params()));
            String verified = answer(get("/passwordless/verify_redirect",
                    with(c.params(), "phone_number", phone, "verification_code", code)));
            assertTrue(page.contains(c.expected()), c.params() + " at /authorize: " + page);
            assertEquals(page, verified, "the two endpoints differ for " + c.params());
            if (page.startsWith("302 ")) {
                assertTrue(page.contains("state=st-9"), page);
            }
        }
        // Nothing above could have led to a login: the code is still there, and still signs in.
        assertTrue(fx.codeExists(sms, phone));
        String ok = answer(get("/passwordless/verify_redirect", with(base, "response_type", "id_token", "nonce",
                "n", "phone_number", phone, "verification_code", code)));
        assertTrue(ok.startsWith("302 " + Fixtures.REDIRECT + "#id_token="), ok);
    }
}
