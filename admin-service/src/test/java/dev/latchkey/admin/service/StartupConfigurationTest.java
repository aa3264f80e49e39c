package dev.latchkey.admin.service;

import static dev.latchkey.admin.support.Api.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

import dev.latchkey.admin.support.AdminTestServers;
import dev.latchkey.admin.support.ConfigTopic;
import dev.latchkey.admin.support.OutboxTable;
import dev.latchkey.admin.support.TestTokens;
import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ClientSecrets;

/**
 * What a start does: the bootstrap management client from the environment, the seed file (deploy/local/seed), and
 * nothing republished that did not change; the explicit resync republishes everything.
 */
@QuarkusTest
@WithTestResource(AdminTestServers.class)
class StartupConfigurationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> SEEDED = List.of("connection:sms", "connection:email", "client:demo-app");

    @Inject
    StartupConfiguration startup;

    @Test
    void bootstrapManagementClientHasEveryScopeForTheManagementApi() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(startup::done);
        String key = "client:" + AdminTestServers.MANAGEMENT_CLIENT_ID;
        ClientConfig published = MAPPER.readValue(ConfigTopic.awaitValue(key, v -> true).value(),
                ClientConfig.class);
        assertEquals(List.of("client_credentials"), published.grantTypes());
        assertEquals("non_interactive", published.appType());
        assertTrue(ClientSecrets.matches(AdminTestServers.MANAGEMENT_CLIENT_SECRET, published.clientSecretSha256()));
        assertEquals(StartupConfiguration.ALL_SCOPES, published.grantedScopes(TestTokens.AUDIENCE));
    }

    @Test
    void seedCreatesTheDemoClientAndConnections() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(startup::done);
        admin().get("/api/v2/clients/demo-app").then().statusCode(200)
                .body("callbacks", hasItem("http://127.0.0.1:8080/demo/callback"))
                .body("allowed_origins", equalTo(List.of("http://127.0.0.1:8080")))
                .body("connections", equalTo(List.of("sms", "email")))
                .body("token_endpoint_auth_method", equalTo("none"));
        admin().get("/api/v2/connections/sms").then().statusCode(200)
                .body("strategy", equalTo("sms"))
                .body("templates.default.body", equalTo("Your verification code is: {{ code }}"));
        admin().get("/api/v2/connections/email").then().statusCode(200)
                .body("strategy", equalTo("email"))
                .body("email.from", equalTo("Latchkey <no-reply@latchkey.local>"));
    }

    @Test
    void runningTheStartAgainRepublishesNothingButResyncRepublishesEverything() throws Throwable {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(startup::done);
        String mgmt = "client:" + AdminTestServers.MANAGEMENT_CLIENT_ID;
        ConfigTopic.awaitValue(mgmt, v -> true);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> OutboxTable.rows(mgmt) == 0
                && SEEDED.stream().allMatch(k -> OutboxTable.rows(k) == 0));
        Map<String, Integer> before = counts(mgmt);

        // What a restart runs: the bootstrap client and the seed, against unchanged data.
        VertxContextSupport.subscribeAndAwait(() -> startup.bootstrapClient().chain(startup::seed));
        Thread.sleep(1500);
        assertEquals(before, counts(mgmt), "a start republishes nothing that is unchanged");
        assertTrue(SEEDED.stream().allMatch(k -> OutboxTable.rows(k) == 0) && OutboxTable.rows(mgmt) == 0);

        admin().post("/api/v2/config/resync").then().statusCode(202)
                .body("connections", org.hamcrest.Matchers.greaterThanOrEqualTo(2))
                .body("clients", org.hamcrest.Matchers.greaterThanOrEqualTo(2));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            Map<String, Integer> after = counts(mgmt);
            return after.keySet().stream().allMatch(k -> after.get(k) == before.get(k) + 1);
        });
    }

    private static Map<String, Integer> counts(String mgmt) {
        Map<String, Integer> c = new java.util.TreeMap<>();
        for (String k : SEEDED) {
            c.put(k, ConfigTopic.of(k).size());
        }
        c.put(mgmt, ConfigTopic.of(mgmt).size());
        return c;
    }
}
