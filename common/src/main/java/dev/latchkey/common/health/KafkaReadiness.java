package dev.latchkey.common.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ConfigTopicConfig;

/**
 * Kafka reachable: the cluster answers a describe-cluster within a second. (Quarkus's own Kafka check can hold the
 * readiness endpoint for half a minute when the broker is gone; a Kubernetes probe gives up after one second.)
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofMillis(900);

    private final String bootstrap;
    private final Map<String, Object> kafka;
    private volatile Admin admin;

    /** @param kafka every {@code kafka.*} / {@code KAFKA_*} setting (security protocol, SASL, TLS...) */
    public KafkaReadiness(ConfigTopicConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.bootstrap = config.bootstrapServers();
        this.kafka = kafka;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var response = HealthCheckResponse.named("Kafka").withData("bootstrap", bootstrap);
        return Uni.createFrom()
                .completionStage(() -> admin().describeCluster(
                        new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis())).nodes()
                        .toCompletionStage())
                .ifNoItem().after(TIMEOUT.plusMillis(100)).fail()
                .map(nodes -> response.up().withData("brokers", nodes.size()).build())
                .onFailure().recoverWithItem(e -> response.down().withData("reason", reason(e)).build());
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    Map<String, Object> p = new HashMap<>(kafka);
                    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "readiness");
                    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
                    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
                    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
                    admin = Admin.create(p);
                }
                a = admin;
            }
        }
        return a;
    }

    private static String reason(Throwable e) {
        Throwable t = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
        String m = t.getMessage();
        return "not reachable: " + t.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
