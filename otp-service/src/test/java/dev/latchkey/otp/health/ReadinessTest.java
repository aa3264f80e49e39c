package dev.latchkey.otp.health;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.latchkey.common.testing.ProxiedServers;
import dev.latchkey.common.testing.Readiness;

/** otp-service is ready only when Redis and Kafka answer, and says which address it could not reach. */
@QuarkusTest
@Tag("local-servers")
@TestProfile(ReadinessTest.ServersUnreachable.class)
class ReadinessTest {

    public static class ServersUnreachable implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxiedServers.class, Map.of("servers", "redis,kafka")));
        }
    }

    @Test
    void readinessGoesFromDownToUpAsRedisAndKafkaComeUp() {
        String redis = "127.0.0.1:" + ProxiedServers.proxy("redis").port();
        String kafka = "127.0.0.1:" + ProxiedServers.proxy("kafka").port();
        Readiness.assertLive();
        Readiness.assertDown("Redis connection health check", redis);
        Readiness.assertDown("Kafka", kafka);
        Readiness.assertDown("Config topic latchkey.config", kafka);

        ProxiedServers.proxy("redis").open();
        Readiness.awaitUp("Redis connection health check", Duration.ofSeconds(30));
        Readiness.assertDown("Kafka", kafka);

        ProxiedServers.proxy("kafka").open();
        Readiness.awaitAllUp(Duration.ofSeconds(60));
    }
}
