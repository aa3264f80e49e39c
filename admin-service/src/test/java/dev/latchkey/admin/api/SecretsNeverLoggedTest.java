package dev.latchkey.admin.api;

import static dev.latchkey.admin.support.Api.admin;
import static dev.latchkey.admin.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.latchkey.admin.support.AdminTestServers;
import dev.latchkey.admin.support.ConfigTopic;
import dev.latchkey.common.config.ClientSecrets;

/** Client secrets, Twilio tokens and SMTP passwords appear in no log line and no error body, at DEBUG too. */
@QuarkusTest
@WithTestResource(AdminTestServers.class)
class SecretsNeverLoggedTest {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {

        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            StringBuilder b = new StringBuilder(formatter.formatMessage(record));
            if (record.getThrown() != null) {
                StringWriter w = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(w));
                b.append(w);
            }
            lines.add(b.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void secretsStayOutOfLogsAndErrors() {
        String token = "twilio-" + UUID.randomUUID();
        String password = "smtp-" + UUID.randomUUID();
        String sms = unique("sms");
        admin().body(Map.of("name", sms, "strategy", "sms", "sms", Map.of("twilio_account_sid",
                ConnectionApiTest.ACCOUNT_SID, "twilio_auth_token", token, "source", "from", "from", "+14155552671")))
                .post("/api/v2/connections").then().statusCode(201);
        // A refused request carrying a secret does not echo it either.
        String refused = admin().body(Map.of("name", unique("sms"), "strategy", "sms", "sms",
                Map.of("twilio_account_sid", ConnectionApiTest.ACCOUNT_SID, "twilio_auth_token", token, "source",
                        "from", "from", "+1 555")))
                .post("/api/v2/connections").then().statusCode(400).extract().asString();
        assertFalse(refused.contains(token));
        String email = unique("email");
        admin().body(Map.of("name", email, "strategy", "email", "email", Map.of("from", "a@example.com", "smtp",
                Map.of("host", "smtp.example.com", "password", password)))).post("/api/v2/connections").then()
                .statusCode(201);
        var created = admin().body(Map.of("name", "Logged?", "connections", List.of(sms)))
                .post("/api/v2/clients").then().statusCode(201).extract();
        String secret = created.path("client_secret");
        String id = created.path("client_id");
        String rotated = admin().post("/api/v2/clients/" + id + "/rotate-secret").then().statusCode(200)
                .extract().path("client_secret");
        ConfigTopic.awaitValue("client:" + id, v -> v.contains(ClientSecrets.sha256(rotated)));

        assertTrue(lines.size() > 0, "the capture sees the service's log");
        for (String line : lines) {
            for (String s : List.of(token, password, secret, rotated)) {
                assertFalse(line.contains(s), "a secret was logged: " + line);
            }
        }
    }
}
