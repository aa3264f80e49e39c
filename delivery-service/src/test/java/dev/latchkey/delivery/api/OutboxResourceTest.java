package dev.latchkey.delivery.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.time.Clock;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import dev.latchkey.delivery.config.DeliveryConfig;
import dev.latchkey.delivery.provider.OutboxSmsSender;

/** Without the outbox provider (the production default) the outbox endpoint is a 404. */
class OutboxResourceTest {

    @Test
    void theOutboxAnswers404WhenItIsNotActive() {
        DeliveryConfig.Outbox off = (DeliveryConfig.Outbox) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{DeliveryConfig.Outbox.class}, (p, m, a) -> switch (m.getName()) {
                    case "enabled" -> false;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        DeliveryConfig config = (DeliveryConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{DeliveryConfig.class}, (p, m, a) -> switch (m.getName()) {
                    case "outbox" -> off;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        OutboxResource resource = new OutboxResource(new OutboxSmsSender(null, config, Clock.systemUTC()), null);
        Response r = resource.messages("+14155552671").await().indefinitely();
        assertEquals(404, r.getStatus());
        assertEquals("not_found", ((ApiError) r.getEntity()).error());
    }
}
