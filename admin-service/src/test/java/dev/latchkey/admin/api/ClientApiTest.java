package dev.latchkey.admin.api;

import static dev.latchkey.admin.support.Api.admin;
import static dev.latchkey.admin.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.latchkey.admin.support.AdminTestServers;
import dev.latchkey.admin.support.ConfigTopic;
import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ClientSecrets;

@QuarkusTest
@WithTestResource(AdminTestServers.class)
class ClientApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static String createConnection(String name) {
        admin().body(Map.of("name", name, "strategy", "sms")).post("/api/v2/connections").then().statusCode(201);
        return name;
    }

    @Test
    void confidentialClientGetsASecretOnceAndOnlyItsHashIsPublished() throws Exception {
        String sms = createConnection(unique("sms"));
        Response created = admin().body(Map.of("name", "Shop", "app_type", "regular_web",
                "callbacks", List.of("https://shop.example.com/callback"),
                "allowed_origins", List.of("https://shop.example.com/", "HTTPS://Shop.Example.com:443",
                        "https://shop.example.com:8443", "http://Shop.example.com:80",
                        "https://*.Shops.example.com:443"),
                "connections", List.of(sms)))
                .post("/api/v2/clients");
        created.then().statusCode(201)
                .body("token_endpoint_auth_method", equalTo("client_secret_post"))
                .body("grant_types", hasItem("http://auth0.com/oauth/grant-type/passwordless/otp"))
                // Stored as browsers send Origin (lower case, no default port), so that they match.
                .body("allowed_origins", equalTo(List.of("https://shop.example.com", "https://shop.example.com:8443",
                        "http://shop.example.com", "https://*.shops.example.com")))
                .body("id_token_ttl_s", equalTo(36000));
        String id = created.path("client_id");
        String secret = created.path("client_secret");
        assertEquals(32, Base64.getUrlDecoder().decode(secret).length, "256-bit secret");

        String got = admin().get("/api/v2/clients/" + id).then().statusCode(200)
                .body("client_id", equalTo(id)).body("name", equalTo("Shop"))
                .body("$", not(hasKey("client_secret"))).extract().asString();
        assertFalse(got.contains(secret));
        assertFalse(got.contains(ClientSecrets.sha256(secret)), "not even the hash is readable");
        String list = admin().queryParam("per_page", 100).get("/api/v2/clients").asString();
        assertFalse(list.contains(secret));

        ConfigTopic.Rec rec = ConfigTopic.awaitValue("client:" + id, v -> v.contains(id));
        ClientConfig published = MAPPER.readValue(rec.value(), ClientConfig.class);
        assertTrue(ClientSecrets.matches(secret, published.clientSecretSha256()));
        assertFalse(rec.value().contains(secret));
        assertEquals(List.of(sms), published.connections());
        assertEquals(List.of("https://shop.example.com/callback"), published.callbacks());

        String rotated = admin().post("/api/v2/clients/" + id + "/rotate-secret").then().statusCode(200)
                .extract().path("client_secret");
        assertNotEquals(secret, rotated);
        ConfigTopic.awaitValue("client:" + id, v -> v.contains(ClientSecrets.sha256(rotated)));
        assertFalse(admin().get("/api/v2/clients/" + id).asString().contains(rotated));
    }

    @Test
    void publicClientHasNoSecretAndCannotRotate() {
        Response created = admin().body(Map.of("name", "SPA", "app_type", "spa")).post("/api/v2/clients");
        created.then().statusCode(201).body("token_endpoint_auth_method", equalTo("none"))
                .body("client_secret", nullValue());
        String id = created.path("client_id");
        admin().post("/api/v2/clients/" + id + "/rotate-secret").then().statusCode(400)
                .body("errorCode", equalTo("invalid_body"));
        ConfigTopic.Rec rec = ConfigTopic.awaitValue("client:" + id, v -> true);
        assertTrue(rec.value().contains("\"client_secret_sha256\":null"));
    }

    @Test
    void updateMergesDeleteTombstonesAndUnknownIdsAre404() throws Exception {
        String id = unique("app");
        admin().body(Map.of("client_id", id, "name", "Before", "app_type", "spa")).post("/api/v2/clients")
                .then().statusCode(201);
        admin().body(Map.of("name", "After", "callbacks", List.of("https://a.example.com/cb")))
                .patch("/api/v2/clients/" + id).then().statusCode(200)
                .body("name", equalTo("After")).body("app_type", equalTo("spa"))
                .body("callbacks[0]", equalTo("https://a.example.com/cb"));
        ConfigTopic.awaitValue("client:" + id, v -> v.contains("\"After\""));

        admin().delete("/api/v2/clients/" + id).then().statusCode(204);
        ConfigTopic.awaitTombstone("client:" + id);
        admin().get("/api/v2/clients/" + id).then().statusCode(404)
                .body("statusCode", equalTo(404)).body("error", equalTo("Not Found"))
                .body("errorCode", equalTo("inexistent_client"));
        admin().body(Map.of("name", "x")).patch("/api/v2/clients/" + id).then().statusCode(404);
        admin().delete("/api/v2/clients/" + id).then().statusCode(404);
    }

    @Test
    void switchingAPublicClientToASecretShowsTheNewSecretOnce() throws Exception {
        String id = unique("switch");
        admin().body(Map.of("client_id", id, "name", "Was public", "app_type", "spa")).post("/api/v2/clients")
                .then().statusCode(201).body("client_secret", nullValue());
        String secret = admin().body(Map.of("token_endpoint_auth_method", "client_secret_post"))
                .patch("/api/v2/clients/" + id).then().statusCode(200).extract().path("client_secret");
        ClientConfig published = MAPPER.readValue(ConfigTopic.awaitValue("client:" + id,
                v -> !v.contains("\"client_secret_sha256\":null")).value(), ClientConfig.class);
        assertTrue(ClientSecrets.matches(secret, published.clientSecretSha256()));
        // Another change keeps the secret and does not show it again.
        admin().body(Map.of("name", "Now confidential")).patch("/api/v2/clients/" + id).then().statusCode(200)
                .body("$", not(hasKey("client_secret")));
        ConfigTopic.awaitValue("client:" + id, v -> v.contains("Now confidential")
                && v.contains(ClientSecrets.sha256(secret)));
    }

    @Test
    void unknownPathsAndMethodsAnswerInTheApisShape() {
        admin().get("/api/v2/no-such-thing").then().statusCode(404).body("statusCode", equalTo(404));
        admin().put("/api/v2/clients").then().statusCode(405).body("statusCode", equalTo(405));
        admin().contentType("text/plain").body("x").post("/api/v2/clients").then().statusCode(415)
                .body("statusCode", equalTo(415));
    }

    @Test
    void duplicateIdIs409() {
        String id = unique("dup");
        admin().body(Map.of("client_id", id, "name", "One")).post("/api/v2/clients").then().statusCode(201);
        admin().body(Map.of("client_id", id, "name", "Two")).post("/api/v2/clients").then().statusCode(409)
                .body("statusCode", equalTo(409)).body("error", equalTo("Conflict"))
                .body("errorCode", equalTo("client_conflict"));
    }

    @Test
    void invalidBodiesAre400InAuth0Shape() {
        String id = unique("bad");
        expect400(Map.of("app_type", "spa"), "name is required");
        expect400(Map.of("name", "x", "app_type", "mainframe"), "app_type must be one of");
        expect400(Map.of("name", "x", "callbacks", List.of("not a url")), "callbacks[0]");
        expect400(Map.of("name", "x", "allowed_origins", List.of("https://a.example.com/path")),
                "allowed_origins[0] must be an origin");
        for (String wild : List.of("https://*.com", "https://a.*.example.com", "https://*", "https://*.example.com/x",
                "https://*example.com", "https://*.*.example.com")) {
            expect400(Map.of("name", "x", "allowed_origins", List.of(wild)),
                    "allowed_origins[0] may use a wildcard only as a whole subdomain label");
        }
        expect400(Map.of("name", "x", "callbacks", List.of("https://*.example.com/callback")), "callbacks[0]");
        expect400(Map.of("name", "x", "connections", List.of("no-such-connection-" + id)),
                "no connection named");
        expect400(Map.of("name", "x", "grant_types", List.of("password-ish")), "unknown grant type");
        expect400(Map.of("name", "x", "app_type", "spa", "grant_types", List.of("client_credentials")),
                "client_credentials needs a confidential client");
        expect400(Map.of("name", "x", "id_token_ttl_s", 5), "id_token_ttl_s must be between");
        expect400(Map.of("name", "x", "surprise", true), "Additional properties not allowed: surprise");
        expect400(Map.of("name", "x", "callbacks", "https://a.example.com"), "Invalid type for property callbacks");
        expect400(Map.of("name", "x", "client_id", "a b"), "client_id must be");

        String body = admin().body("{not json").post("/api/v2/clients").then().statusCode(400)
                .body("message", startsWith("Payload validation error: the request body is not valid JSON"))
                .extract().asString();
        assertFalse(body.contains("com.fasterxml"), "no Java class names: " + body);

        admin().body(Map.of("client_id", id, "name", "ok")).post("/api/v2/clients").then().statusCode(201);
        admin().body(Map.of("client_id", "other")).patch("/api/v2/clients/" + id).then().statusCode(400)
                .body("message", equalTo("Payload validation error: client_id cannot be changed"));
        admin().body(Map.of("client_secret", "mine")).patch("/api/v2/clients/" + id).then().statusCode(400)
                .body("message", equalTo("Payload validation error: Additional properties not allowed: client_secret"));
    }

    @Test
    void listsArePaginatedWithTotals() {
        for (int i = 0; i < 3; i++) {
            admin().body(Map.of("name", "Paged " + i, "app_type", "spa")).post("/api/v2/clients").then()
                    .statusCode(201);
        }
        int total = admin().queryParam("include_totals", true).queryParam("per_page", 2)
                .get("/api/v2/clients").then().statusCode(200)
                .body("start", equalTo(0)).body("limit", equalTo(2)).body("length", equalTo(2))
                .body("clients.size()", equalTo(2)).extract().path("total");
        assertTrue(total >= 3);
        admin().queryParam("include_totals", true).queryParam("per_page", 2).queryParam("page", 1)
                .get("/api/v2/clients").then().statusCode(200).body("start", equalTo(2));
        List<?> plain = admin().queryParam("per_page", 1).get("/api/v2/clients").then().statusCode(200)
                .extract().as(List.class);
        assertEquals(1, plain.size());
        admin().queryParam("per_page", 101).get("/api/v2/clients").then().statusCode(400)
                .body("errorCode", equalTo("invalid_query_string"));
        admin().queryParam("page", "x").get("/api/v2/clients").then().statusCode(400);
    }

    @Test
    void unchangedPatchPublishesNothing() {
        String id = unique("same");
        admin().body(Map.of("client_id", id, "name", "Same", "app_type", "spa")).post("/api/v2/clients").then()
                .statusCode(201);
        ConfigTopic.awaitValue("client:" + id, v -> true);
        admin().body(Map.of("name", "Same")).patch("/api/v2/clients/" + id).then().statusCode(200);
        admin().body(Map.of("name", "Changed")).patch("/api/v2/clients/" + id).then().statusCode(200);
        ConfigTopic.awaitValue("client:" + id, v -> v.contains("\"Changed\""));
        assertEquals(2, ConfigTopic.of("client:" + id).size(), "create and one real change, not the no-op");
    }

    private static void expect400(Map<String, ?> body, String message) {
        admin().body(body).post("/api/v2/clients").then().statusCode(400)
                .body("statusCode", equalTo(400)).body("error", equalTo("Bad Request"))
                .body("errorCode", equalTo("invalid_body"))
                .body("message", org.hamcrest.Matchers.containsString(message));
    }
}
