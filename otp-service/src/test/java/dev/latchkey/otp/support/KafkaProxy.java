package dev.latchkey.otp.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.latchkey.common.testing.LocalServers;
import dev.latchkey.common.testing.TcpProxy;

/**
 * Puts a {@link TcpProxy}, shut at first, between the delivery-event producer and the real Kafka, so a test can keep
 * Kafka from the start path only (the config view and readiness keep the direct address).
 */
public class KafkaProxy implements QuarkusTestResourceLifecycleManager {

    private static volatile TcpProxy proxy;

    @Override
    public Map<String, String> start() {
        String kafka = LocalServers.kafkaBootstrap();
        try {
            proxy = new TcpProxy(LocalServers.host(kafka), LocalServers.port(kafka));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("mp.messaging.outgoing.delivery-events.bootstrap.servers", "127.0.0.1:" + proxy.port());
    }

    public static TcpProxy proxy() {
        return proxy;
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
