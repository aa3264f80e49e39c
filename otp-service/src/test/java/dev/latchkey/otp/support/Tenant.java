package dev.latchkey.otp.support;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.awaitility.Awaitility;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ClientSecrets;
import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.recipient.Recipients;
import dev.latchkey.common.testing.ConfigTopicPublisher;

/**
 * Clients and connections with unique names, published to {@code latchkey.config} as admin-service would, and awaited
 * in the service's live view. Unique names keep reruns on the same servers, and tests among themselves, apart.
 */
public final class Tenant implements AutoCloseable {

    private final ConfigTopicPublisher publisher = new ConfigTopicPublisher();
    private final ConfigView view;

    public Tenant(ConfigView view) {
        this.view = view;
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A random valid US number (in E.164, as a caller would send it), unlikely to be used by any other test. */
    public static String phone() {
        while (true) {
            String candidate = "+1201" + (2000000 + ThreadLocalRandom.current().nextInt(7999999));
            if (Recipients.phone(candidate).isPresent()) {
                return candidate;
            }
        }
    }

    public static String email() {
        return unique("user").toUpperCase(Locale.ROOT).replace("USER", "User") + "@Example.COM";
    }

    public ConnectionConfig connection(String strategy) {
        return connection(strategy, null, null, Map.of());
    }

    public ConnectionConfig connection(String strategy, Boolean enabled, Integer codeLength,
            Map<String, ConnectionConfig.Template> templates) {
        var c = new ConnectionConfig(unique(strategy), strategy, codeLength, null, null, null, enabled, null,
                templates, null, null);
        publisher.connection(c);
        Awaitility.await("connection " + c.name() + " in the view").atMost(Duration.ofSeconds(20))
                .until(() -> view.connection(c.name()).isPresent());
        return c;
    }

    public ClientConfig client(ConnectionConfig... connections) {
        return client(null, connections);
    }

    /** A client; confidential when {@code secret} is given. */
    public ClientConfig client(String secret, ConnectionConfig... connections) {
        return client(secret, List.of(), connections);
    }

    /** A client whose pages on {@code allowedOrigins} may call it cross-origin. */
    public ClientConfig client(String secret, List<String> allowedOrigins, ConnectionConfig... connections) {
        var c = new ClientConfig(unique("client"), "Test app", secret == null ? "spa" : "regular_web",
                secret == null ? null : ClientSecrets.sha256(secret), List.of("https://app.example.test/callback"),
                allowedOrigins, java.util.Arrays.stream(connections).map(ConnectionConfig::name).toList(), List.of(),
                null, null, null);
        publisher.client(c);
        Awaitility.await("client " + c.clientId() + " in the view").atMost(Duration.ofSeconds(20))
                .until(() -> view.client(c.clientId()).isPresent());
        return c;
    }

    @Override
    public void close() {
        publisher.close();
    }
}
