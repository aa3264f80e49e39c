package dev.latchkey.otp.health;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.latchkey.common.testing.ProxiedServers;
import dev.latchkey.common.testing.Readiness;
import dev.latchkey.common.testing.Readiness.Server;

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
        Readiness.walkFromDownToUp(new Server("redis", Readiness.REDIS),
                new Server("kafka", Readiness.KAFKA, Readiness.CONFIG_TOPIC));
    }
}
