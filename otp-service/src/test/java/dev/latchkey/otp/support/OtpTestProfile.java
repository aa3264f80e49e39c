package dev.latchkey.otp.support;

import java.util.Map;
import java.util.Set;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The profile of the start tests (one Quarkus start for all of them but {@link KafkaUnreachableProfile}'s): a clock
 * tests can move, and a per-client limit small enough to reach in a test.
 */
public class OtpTestProfile implements QuarkusTestProfile {

    public static final int CLIENT_LIMIT = 20;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("latchkey.otp.rate-limit.client.limit", Integer.toString(CLIENT_LIMIT),
                "latchkey.otp.link.base-url", "https://login.example.test/");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(TestClock.class);
    }
}
