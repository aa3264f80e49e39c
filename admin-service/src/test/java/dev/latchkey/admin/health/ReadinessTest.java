package dev.latchkey.admin.health;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.latchkey.common.testing.LocalServers;
import dev.latchkey.common.testing.ProxiedServers;
import dev.latchkey.common.testing.Readiness;
import dev.latchkey.common.testing.Readiness.Server;

/**
 * admin-service is ready only when the servers it uses (kafka,postgres) answer, and its readiness says which address it
 * could not reach. Each server sits behind a proxy that is shut at start and opened one by one.
 */
@QuarkusTest
@Tag("local-servers")
@TestProfile(ReadinessTest.ServersUnreachable.class)
class ReadinessTest {

    public static class ServersUnreachable implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxiedServers.class,
                    Map.of("servers", "kafka,postgres", "database", LocalServers.database("latchkey_admin"))));
        }
    }

    @Test
    void readinessGoesFromDownToUpAsEachServerComesUp() {
        Readiness.walkFromDownToUp(new Server("postgres", Readiness.POSTGRES), new Server("kafka", Readiness.KAFKA));
    }
}
