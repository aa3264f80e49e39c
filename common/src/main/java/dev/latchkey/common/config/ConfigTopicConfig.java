package dev.latchkey.common.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** How a service follows the compacted configuration topic. */
@ConfigMapping(prefix = "latchkey.config-topic")
public interface ConfigTopicConfig {

    /** Name of the compacted topic admin-service publishes clients and connections to. */
    @WithDefault("latchkey.config")
    String name();

    /** Kafka bootstrap servers; the same as the messaging connector's. */
    @WithName("bootstrap-servers")
    @WithDefault("${kafka.bootstrap.servers:127.0.0.1:9092}")
    String bootstrapServers();

    /** Whether this service keeps a live view of the topic (admin-service, its writer, does not). */
    @WithDefault("true")
    boolean enabled();

    /** How long one poll of the topic waits for records. */
    @WithDefault("500ms")
    Duration pollTimeout();
}
