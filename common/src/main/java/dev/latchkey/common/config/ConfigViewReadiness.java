package dev.latchkey.common.config;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the configuration topic has been replayed. */
@Readiness
@ApplicationScoped
public class ConfigViewReadiness implements HealthCheck {

    private final ConfigView view;
    private final ConfigTopicConfig config;

    public ConfigViewReadiness(ConfigView view, ConfigTopicConfig config) {
        this.view = view;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("Config topic " + config.name())
                .withData("bootstrap", config.bootstrapServers());
        if (!config.enabled() || view.caughtUp()) {
            return b.up().build();
        }
        return b.down().withData("reason", String.valueOf(view.lastError())).build();
    }
}
