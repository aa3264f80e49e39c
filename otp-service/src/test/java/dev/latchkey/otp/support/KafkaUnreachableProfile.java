package dev.latchkey.otp.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link OtpTestProfile} with the delivery-event producer pointed at a shut {@link KafkaProxy}. A Kafka client talks to
 * the bootstrap address only until it has learnt the brokers' own addresses, so a proxy can only keep Kafka from a
 * producer that has not reached it yet: hence a profile of its own, in which the producer starts without Kafka.
 */
public class KafkaUnreachableProfile extends OtpTestProfile {

    /** A per-client budget slow enough to refill that its counter is still there when the test looks. */
    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("latchkey.otp.rate-limit.client.limit", "5");
        config.put("latchkey.otp.rate-limit.client.period", "1h");
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaProxy.class));
    }
}
