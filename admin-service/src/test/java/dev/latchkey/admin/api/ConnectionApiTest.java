package dev.latchkey.admin.api;

import static dev.latchkey.admin.support.Api.admin;
import static dev.latchkey.admin.support.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.latchkey.admin.support.AdminTestServers;
import dev.latchkey.admin.support.ConfigTopic;
import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.crypto.PlatformCipher;

@QuarkusTest
@WithTestResource(AdminTestServers.class)
class ConnectionApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    static final String MESSAGING_SERVICE_SID = "MG" + "fedcba9876543210".repeat(2);

    @Inject
    PlatformCipher cipher;

    static Map<String, Object> twilioSms(String name, String token) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("strategy", "sms");
        body.put("sms", Map.of("twilio_account_sid", ACCOUNT_SID, "twilio_auth_token", token, "source", "from",
                "from", "+1 (415) 555-2671"));
        return body;
    }

    @Test
    void twilioTokenIsWriteOnlyAndTravelsEncryptedUnderTheConnectionContext() throws Exception {
        String name = unique("sms");
        String token = "tok" + UUID.randomUUID().toString().replace("-", "");
        String created = admin().body(twilioSms(name, token)).post("/api/v2/connections").then().statusCode(201)
                .body("sms.from", equalTo("+14155552671"))
                .body("sms.twilio_auth_token_set", equalTo(true))
                .body("sms", not(hasKey("twilio_auth_token")))
                .body("templates.default.body", equalTo("Your verification code is: {{ code }}"))
                .body("code_length", equalTo(6)).body("code_ttl_s", equalTo(300)).body("max_attempts", equalTo(3))
                .extract().asString();
        assertFalse(created.contains(token));
        assertFalse(admin().get("/api/v2/connections/" + name).asString().contains(token));
        assertFalse(admin().queryParam("per_page", 100).get("/api/v2/connections").asString().contains(token));

        ConnectionConfig published = MAPPER.readValue(
                ConfigTopic.awaitValue("connection:" + name, v -> true).value(), ConnectionConfig.class);
        String enc = published.sms().twilioAuthTokenEnc();
        assertEquals(token, cipher.decrypt(enc, "connection:" + name + ":twilio_auth_token"));
        assertEquals("+14155552671", published.sms().from());
        assertEquals("from", published.sms().source());

        // An update without the token keeps it; the record on the topic carries the change and the same ciphertext.
        admin().body(Map.of("templates", Map.of("default", Map.of("body", "Code {{ code }} for {{ application.name }}"),
                "fr", Map.of("body", "Code {{ code }}"))))
                .patch("/api/v2/connections/" + name).then().statusCode(200)
                .body("templates.fr.body", equalTo("Code {{ code }}"))
                .body("sms.twilio_auth_token_set", equalTo(true));
        ConnectionConfig updated = MAPPER.readValue(ConfigTopic.awaitValue("connection:" + name,
                v -> v.contains("for {{ application.name }}")).value(), ConnectionConfig.class);
        assertEquals(enc, updated.sms().twilioAuthTokenEnc());

        // Switching to a Messaging Service keeps only its SID; a new token replaces the old one.
        String token2 = "tok" + UUID.randomUUID().toString().replace("-", "");
        admin().body(Map.of("sms", Map.of("source", "messaging_service", "messaging_service_sid",
                MESSAGING_SERVICE_SID, "twilio_auth_token", token2)))
                .patch("/api/v2/connections/" + name).then().statusCode(200)
                .body("sms.source", equalTo("messaging_service"))
                .body("sms", not(hasKey("from")));
        ConnectionConfig switched = MAPPER.readValue(ConfigTopic.awaitValue("connection:" + name,
                v -> v.contains(MESSAGING_SERVICE_SID)).value(), ConnectionConfig.class);
        assertNull(switched.sms().from());
        assertNotEquals(enc, switched.sms().twilioAuthTokenEnc());
        assertEquals(token2, cipher.decrypt(switched.sms().twilioAuthTokenEnc(),
                "connection:" + name + ":twilio_auth_token"));
    }

    @Test
    void emailConnectionKeepsTheSmtpPasswordWriteOnly() throws Exception {
        String name = unique("email");
        String password = "pw-" + UUID.randomUUID();
        admin().body(Map.of("name", name, "strategy", "email", "email", Map.of("from", "Shop <Shop@Example.com>",
                "smtp", Map.of("host", "smtp.example.com", "port", 2525, "username", "u", "password", password))))
                .post("/api/v2/connections").then().statusCode(201)
                .body("email.from", equalTo("Shop <shop@example.com>"))
                .body("email.smtp.password_set", equalTo(true))
                .body("email.smtp", not(hasKey("password")))
                .body("templates.default.subject", containsString("{{ application.name }}"));
        assertFalse(admin().get("/api/v2/connections/" + name).asString().contains(password));
        ConnectionConfig published = MAPPER.readValue(
                ConfigTopic.awaitValue("connection:" + name, v -> true).value(), ConnectionConfig.class);
        assertEquals(password, cipher.decrypt(published.email().smtp().passwordEnc(),
                "connection:" + name + ":smtp_password"));
    }

    @Test
    void brokenTemplatesAreRefusedWithTheParsersMessage() {
        String name = unique("sms");
        admin().body(Map.of("name", name, "strategy", "sms", "templates",
                Map.of("default", Map.of("body", "Your code is {{ code "))))
                .post("/api/v2/connections").then().statusCode(400)
                .body("errorCode", equalTo("invalid_body"))
                .body("message", containsString("templates.default.body is not valid Liquid"))
                .body("message", containsString("line 1"));
        admin().body(Map.of("name", name, "strategy", "sms", "templates",
                Map.of("default", Map.of("body", "{% if code %}no end"))))
                .post("/api/v2/connections").then().statusCode(400)
                .body("message", containsString("parser error"));
        admin().body(Map.of("name", name, "strategy", "sms", "templates",
                Map.of("default", Map.of("body", "{{ code | no_such_filter }}"))))
                .post("/api/v2/connections").then().statusCode(400)
                .body("message", containsString("no filter available named"));
        admin().body(Map.of("name", name, "strategy", "sms", "templates",
                Map.of("default", Map.of("body", "{% include 'secrets.txt' %}"))))
                .post("/api/v2/connections").then().statusCode(400)
                .body("message", containsString("include is not supported"));

        // The same through an update of a valid connection.
        admin().body(Map.of("name", name, "strategy", "sms")).post("/api/v2/connections").then().statusCode(201);
        admin().body(Map.of("templates", Map.of("default", Map.of("body", "{% for %}"))))
                .patch("/api/v2/connections/" + name).then().statusCode(400)
                .body("message", containsString("templates.default.body is not valid Liquid"));
        admin().get("/api/v2/connections/" + name).then().statusCode(200)
                .body("templates.default.body", equalTo("Your verification code is: {{ code }}"));
    }

    @Test
    void invalidSettingsAre400() {
        String name = unique("bad");
        Map<String, Object> badFrom = twilioSms(name, "token");
        badFrom.put("sms", Map.of("twilio_account_sid", ACCOUNT_SID, "twilio_auth_token", "t", "source", "from",
                "from", "4155552671"));
        expect400(badFrom, "sms.from must be a phone number in E.164 format");
        Map<String, Object> badSid = twilioSms(name, "token");
        badSid.put("sms", Map.of("twilio_account_sid", "AC123", "twilio_auth_token", "t", "source", "from",
                "from", "+14155552671"));
        expect400(badSid, "twilio_account_sid");
        Map<String, Object> noToken = twilioSms(name, "token");
        noToken.put("sms", Map.of("twilio_account_sid", ACCOUNT_SID, "source", "from", "from", "+14155552671"));
        expect400(noToken, "sms.twilio_auth_token is required");
        Map<String, Object> badMg = twilioSms(name, "token");
        badMg.put("sms", Map.of("twilio_account_sid", ACCOUNT_SID, "twilio_auth_token", "t", "source",
                "messaging_service", "messaging_service_sid", "MG1"));
        expect400(badMg, "messaging_service_sid");
        expect400(Map.of("name", name, "strategy", "fax"), "strategy must be one of");
        expect400(Map.of("name", "no spaces please", "strategy", "sms"), "name is required");
        expect400(Map.of("name", name, "strategy", "sms", "code_length", 11), "code_length must be between 4 and 10");
        expect400(Map.of("name", name, "strategy", "sms", "templates", Map.of("fr", Map.of("body", "x"))),
                "templates must have a 'default' entry");
        expect400(Map.of("name", name, "strategy", "sms", "templates",
                Map.of("default", Map.of("subject", "s", "body", "x"))), "subject and html are for email");
        expect400(Map.of("name", name, "strategy", "email", "templates",
                Map.of("default", Map.of("body", "x"))), "subject is required for email");
        expect400(Map.of("name", name, "strategy", "email", "email", Map.of("from", "not an address")),
                "email.from must be");
        expect400(Map.of("name", name, "strategy", "sms", "email", Map.of("from", "a@example.com")),
                "email settings are for email connections");
        expect400(Map.of("name", name, "strategy", "sms", "default_language", "not a tag"), "default_language");

        admin().body(Map.of("name", name, "strategy", "sms")).post("/api/v2/connections").then().statusCode(201);
        admin().body(Map.of("strategy", "email")).patch("/api/v2/connections/" + name).then().statusCode(400)
                .body("message", containsString("strategy cannot be changed"));
        admin().body(Map.of("name", "other")).patch("/api/v2/connections/" + name).then().statusCode(400)
                .body("message", containsString("name cannot be changed"));
        admin().body(Map.of("name", name, "strategy", "email")).post("/api/v2/connections").then().statusCode(409)
                .body("errorCode", equalTo("connection_conflict"));
        admin().get("/api/v2/connections/nope-" + name).then().statusCode(404)
                .body("errorCode", equalTo("inexistent_connection"));
        admin().queryParam("strategy", "fax").get("/api/v2/connections").then().statusCode(400);
    }

    @Test
    void deleteTombstonesTheConnectionAndDisablesItOnClients() throws Exception {
        String name = unique("gone");
        String keep = unique("keep");
        admin().body(Map.of("name", name, "strategy", "sms")).post("/api/v2/connections").then().statusCode(201);
        admin().body(Map.of("name", keep, "strategy", "email")).post("/api/v2/connections").then().statusCode(201);
        String clientId = admin().body(Map.of("name", "Uses both", "app_type", "spa", "connections",
                List.of(name, keep))).post("/api/v2/clients").then().statusCode(201).extract().path("client_id");
        ConfigTopic.awaitValue("connection:" + name, v -> true);

        admin().delete("/api/v2/connections/" + name).then().statusCode(204);
        ConfigTopic.awaitTombstone("connection:" + name);
        ClientConfig client = MAPPER.readValue(ConfigTopic.awaitValue("client:" + clientId,
                v -> !v.contains("\"" + name + "\"")).value(), ClientConfig.class);
        assertEquals(List.of(keep), client.connections());
        admin().get("/api/v2/clients/" + clientId).then().body("connections", equalTo(List.of(keep)));
        admin().get("/api/v2/connections/" + name).then().statusCode(404);
        admin().delete("/api/v2/connections/" + name).then().statusCode(404);
    }

    @Test
    void listsFilterByStrategyAndPaginate() {
        String sms = unique("list");
        admin().body(Map.of("name", sms, "strategy", "sms")).post("/api/v2/connections").then().statusCode(201);
        List<Map<String, Object>> all = admin().queryParam("strategy", "email").queryParam("per_page", 100)
                .get("/api/v2/connections").then().statusCode(200).extract().jsonPath().getList("$");
        assertFalse(all.stream().anyMatch(c -> "sms".equals(c.get("strategy"))));
        admin().queryParam("include_totals", true).queryParam("per_page", 1).get("/api/v2/connections").then()
                .statusCode(200).body("connections.size()", equalTo(1)).body("limit", equalTo(1));
    }

    private static void expect400(Map<String, ?> body, String message) {
        admin().body(body).post("/api/v2/connections").then().statusCode(400)
                .body("statusCode", equalTo(400)).body("errorCode", equalTo("invalid_body"))
                .body("message", containsString(message));
    }
}
