package dev.latchkey.admin.api;

import static dev.latchkey.admin.support.Api.admin;
import static dev.latchkey.admin.support.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.latchkey.admin.support.AdminTestServers;
import dev.latchkey.common.testing.TemplateLimits;

/**
 * A template at each limit of the engine is stored; one step past it is refused at save, with the engine's words
 * (delivery-service's side of the same edges: its TemplateLimitsDeliveryTest).
 */
@QuarkusTest
@WithTestResource(AdminTestServers.class)
class TemplateLimitsApiTest {

    private static Map<String, Object> email(String name, TemplateLimits edge, String source) {
        Map<String, Object> template = new HashMap<>();
        template.put("subject", "Your code");
        template.put("body", edge.html() ? "Code {{ code }}" : source);
        if (edge.html()) {
            template.put("html", source);
        }
        return Map.of("name", name, "strategy", "email", "templates", Map.of("default", template));
    }

    @Test
    void atEachLimitStoredOnePastRefused() {
        for (TemplateLimits edge : TemplateLimits.email()) {
            String part = edge.html() ? "html" : "body";
            admin().body(email(unique("email"), edge, edge.at())).post("/api/v2/connections").then()
                    .statusCode(201);
            admin().body(email(unique("email"), edge, edge.past())).post("/api/v2/connections").then()
                    .statusCode(400)
                    .body("errorCode", equalTo("invalid_body"))
                    .body("message", containsString("templates.default." + part + " is not valid Liquid"))
                    .body("message", containsString(edge.problem()));
        }
    }
}
