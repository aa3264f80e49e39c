package dev.latchkey.admin.console;

import static dev.latchkey.admin.support.Api.admin;
import static dev.latchkey.admin.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.latchkey.admin.support.AdminTestServers;
import dev.latchkey.admin.support.FakeTokenService;
import dev.latchkey.admin.support.TestTokens;
import dev.latchkey.common.event.Channel;
import dev.latchkey.common.event.DeliveryState;
import dev.latchkey.common.event.DeliveryStatus;

/** The console's pages and forms, server side: session cookie, scopes, CSRF, users, delivery outcomes. */
@QuarkusTest
@WithTestResource(AdminTestServers.class)
class ConsolePagesTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private static RequestSpecification session(String token) {
        return given().redirects().follow(false).cookie("latchkey_console", token);
    }

    private static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertTrue(m.find(), "the page carries a CSRF value");
        return m.group(1);
    }

    @Test
    void signInKeepsAValidTokenInAStrictHttpOnlyCookieAndRefusesOthers() {
        given().redirects().follow(false).get("/console").then().statusCode(303)
                .header("Location", endsWith("/console/login"));
        given().formParam("token", TestTokens.expired("read:clients")).post("/console/login").then().statusCode(401)
                .body(containsString("That token is not accepted"));
        given().formParam("token", TestTokens.forged("read:clients")).post("/console/login").then().statusCode(401);
        String token = TestTokens.withScopes("read:clients", "read:connections");
        Response signedIn = given().redirects().follow(false).formParam("token", "Bearer " + token)
                .post("/console/login");
        signedIn.then().statusCode(303).header("Location", endsWith("/console"));
        String cookie = signedIn.header("Set-Cookie");
        assertTrue(cookie.startsWith("latchkey_console=" + token), cookie);
        assertTrue(
                cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/console"),
                cookie);
        session(token).get("/console").then().statusCode(200).contentType(ContentType.HTML)
                .body(containsString("Connections")).body(containsString("Applications"));
        session(TestTokens.expired("read:clients")).get("/console").then().statusCode(303)
                .header("Location", endsWith("/console/login"));
        // The cookie is for the console only: the API still wants the header.
        given().cookie("latchkey_console", token).get("/api/v2/clients").then().statusCode(200);
    }

    @Test
    void clientFormSavesWithTheCsrfValueOnlyAndNeedsTheScope() {
        String sms = unique("sms");
        admin().body(Map.of("name", sms, "strategy", "sms")).post("/api/v2/connections").then().statusCode(201);
        String id = admin().body(Map.of("name", "Console app", "app_type", "spa")).post("/api/v2/clients").then()
                .statusCode(201).extract().path("client_id");
        String token = TestTokens.withScopes("read:clients", "update:clients", "read:connections");
        String page = session(token).get("/console/clients/" + id).then().statusCode(200)
                .body(containsString("Console app")).extract().asString();
        String csrf = csrf(page);

        session(token).formParam("name", "Renamed").formParam("callbacks", "https://c.example.com/cb\r\n")
                .formParam("allowed_origins", "").formParam("connections", sms)
                .formParam("grant_types", "authorization_code").post("/console/clients/" + id).then().statusCode(403);
        session(token).formParam("csrf", csrf).formParam("name", "Renamed")
                .formParam("callbacks", "https://c.example.com/cb\r\nhttps://d.example.com/cb")
                .formParam("allowed_origins", "").formParam("connections", sms)
                .formParam("grant_types", "authorization_code").post("/console/clients/" + id).then().statusCode(303)
                .header("Location", containsString("saved=true"));
        admin().get("/api/v2/clients/" + id).then().body("name", equalTo("Renamed"))
                .body("callbacks", equalTo(List.of("https://c.example.com/cb", "https://d.example.com/cb")))
                .body("connections", equalTo(List.of(sms)))
                .body("grant_types", equalTo(List.of("authorization_code")));
        // Invalid input comes back on the page, in words.
        session(token).formParam("csrf", csrf).formParam("name", "Renamed").formParam("callbacks", "not a url")
                .post("/console/clients/" + id).then().statusCode(400)
                .body(containsString("Payload validation error: callbacks[0]"));

        String readOnly = TestTokens.withScopes("read:clients", "read:connections");
        session(readOnly).formParam("csrf", ConsoleSession.csrf(readOnly)).formParam("name", "x")
                .post("/console/clients/" + id).then().statusCode(403).contentType(ContentType.HTML)
                .body(containsString("update:clients"));
    }

    @Test
    void usersAreListedAndBlockedThroughTokenService() {
        String id = unique("email|c");
        FakeTokenService.addUser(id, "+14155559876");
        String token = TestTokens.withScopes("read:users", "update:users");
        String page = session(token).queryParam("q", "+14155559876").get("/console/users").then().statusCode(200)
                .body(containsString(id)).body(containsString("Block")).extract().asString();
        session(token).formParam("csrf", csrf(page)).formParam("user_id", id).formParam("blocked", "true")
                .formParam("q", "+14155559876").post("/console/users/block").then().statusCode(303);
        assertEquals(true, FakeTokenService.USERS.get(id).path("blocked").asBoolean());
        var sent = FakeTokenService.received("/internal/users/").getLast();
        assertEquals("Bearer " + token, sent.authorization());
        session(token).queryParam("q", "+14155559876").get("/console/users").then().statusCode(200)
                .body(containsString("Unblock"));
    }

    @Test
    void connectionPageShowsRecentDeliveryOutcomes() throws Exception {
        String name = unique("sms");
        admin().body(Map.of("name", name, "strategy", "sms")).post("/api/v2/connections").then().statusCode(201);
        String reason = "21211 invalid To number " + unique("r");
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, AdminTestServers.kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            DeliveryStatus status = new DeliveryStatus(unique("evt"), "demo-app", name, Channel.SMS,
                    DeliveryState.FAILED, "twilio",
                    null, reason, 1, 1, Instant.now());
            producer.send(new ProducerRecord<>(DeliveryStatus.TOPIC, status.eventId(),
                    mapper.writeValueAsString(status))).get(20, TimeUnit.SECONDS);
        }
        String token = TestTokens.withScopes("read:connections");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> session(token)
                .get("/console/connections/" + name).then().statusCode(200).body(containsString(reason)));
        session(token).get("/console/connections/" + name).then()
                .body(not(containsString("id=\"save\"")))
                .body(containsString("cannot change connections"));
    }

    @Test
    void previewRendersWhatIsTypedAndCountsSmsSegmentsWithTheConnectionScope() {
        String body = "{\"strategy\":\"sms\",\"language\":\"default\",\"body\":\"Code {{ code }} for "
                + "{{ application.name }}\",\"code_length\":8}";
        session(TestTokens.withScopes("read:connections")).contentType(ContentType.JSON).body(body)
                .post("/console/preview").then().statusCode(200).contentType(ContentType.JSON)
                .body("body", org.hamcrest.Matchers.matchesPattern("Code \\d{8} for .+"))
                .body("segments", equalTo(1)).body("error", org.hamcrest.Matchers.nullValue());
        session(TestTokens.withScopes("read:connections")).contentType(ContentType.JSON)
                .body("{\"strategy\":\"sms\",\"body\":\"{{ nope }}\"}").post("/console/preview").then()
                .statusCode(200).body("error", containsString("body: "));
        session(TestTokens.withScopes("read:clients")).contentType(ContentType.JSON).body(body)
                .post("/console/preview").then().statusCode(403);
    }
}
