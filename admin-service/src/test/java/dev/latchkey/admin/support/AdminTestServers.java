package dev.latchkey.admin.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.latchkey.common.testing.LocalServers;

/**
 * What admin-service's tests run against besides the real PostgreSQL and Kafka: a JWKS (the test key of
 * {@link TestTokens}) and a fake of token-service's internal API on a random port, a config topic of this run's own
 * (deleted at the end), and a schema of its own in {@code latchkey_admin} so tests never touch a local run's data.
 * Also a bootstrap management client and the real seed file, as a local run would have them.
 */
public class AdminTestServers implements QuarkusTestResourceLifecycleManager {

    public static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    public static final String TOPIC = "latchkey.config.admintest-" + RUN;
    public static final String SCHEMA = "admin_test";
    public static final String MANAGEMENT_CLIENT_ID = "mgmt-" + RUN;
    public static final String MANAGEMENT_CLIENT_SECRET = "test-secret-" + UUID.randomUUID() + UUID.randomUUID();
    public static final Path SEED_FILE = Path.of("..", "deploy", "local", "seed", "latchkey-seed.json")
            .toAbsolutePath().normalize();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/.well-known/jwks.json", x -> {
            byte[] body = TestTokens.jwks().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/internal", FakeTokenService::handle);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        String pg = LocalServers.postgresHostPort();

        Map<String, String> config = new HashMap<>();
        config.put("mp.jwt.verify.publickey.location", base + "/.well-known/jwks.json");
        config.put("latchkey.auth.issuer", TestTokens.ISSUER);
        config.put("quarkus.rest-client.token-service.url", base);
        config.put("latchkey.config-topic.name", TOPIC);
        config.put("quarkus.datasource.reactive.url",
                "postgresql://" + pg + "/" + LocalServers.database("latchkey_admin") + "?search_path=" + SCHEMA);
        config.put("quarkus.datasource.jdbc.url",
                "jdbc:postgresql://" + pg + "/" + LocalServers.database("latchkey_admin") + "?currentSchema=" + SCHEMA);
        config.put("quarkus.flyway.schemas", SCHEMA);
        config.put("latchkey.admin.management-client.id", MANAGEMENT_CLIENT_ID);
        config.put("latchkey.admin.management-client.secret", MANAGEMENT_CLIENT_SECRET);
        config.put("latchkey.admin.seed-file", SEED_FILE.toString());
        config.put("latchkey.admin.outbox.poll-interval", "200ms");
        // Debug lines too must never carry a secret (SecretsNeverLoggedTest reads them).
        config.put("quarkus.log.category.\"dev.latchkey.admin\".level", "DEBUG");
        return config;
    }

    /** The Kafka the service under test uses (the local server, or a Dev Services container). */
    public static String kafkaBootstrap() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("kafka.bootstrap.servers", String.class).orElse(LocalServers.kafkaBootstrap());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap()))) {
            admin.deleteTopics(List.of(TOPIC)).all().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort: a leftover test topic harms nobody
        }
    }
}
