package dev.latchkey.delivery.provider;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.latchkey.delivery.config.DeliveryConfig;
import dev.latchkey.delivery.store.OutboxStore;
import dev.latchkey.delivery.store.OutboxStore.OutboxMessage;

/** The SMS provider of a machine without Twilio credentials: messages land in the Redis outbox. */
@ApplicationScoped
public class OutboxSmsSender {

    public static final String PROVIDER = "outbox";

    private final OutboxStore store;
    private final DeliveryConfig.Outbox config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public OutboxSmsSender(OutboxStore store, DeliveryConfig config, Clock clock) {
        this.store = store;
        this.config = config.outbox();
        this.clock = clock;
    }

    public boolean active() {
        return config.enabled();
    }

    /** @return the outbox message id */
    public Uni<String> send(String to, String body, String eventId, String connection, int segments) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        String messageId = "OB" + HexFormat.of().formatHex(id);
        OutboxMessage m = new OutboxMessage(messageId, to, PROVIDER, body, eventId, connection, segments,
                clock.instant());
        return store.add(m, config.maxPerRecipient(), config.retention()).replaceWith(messageId);
    }
}
