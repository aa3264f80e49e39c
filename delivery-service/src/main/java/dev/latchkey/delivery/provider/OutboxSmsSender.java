package dev.latchkey.delivery.provider;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.event.Channel;
import dev.latchkey.delivery.config.DeliveryConfig;
import dev.latchkey.delivery.store.OutboxStore;
import dev.latchkey.delivery.store.OutboxStore.OutboxMessage;

/**
 * The SMS provider of a machine without Twilio credentials: messages land in the Redis outbox (local runs, with
 * {@code latchkey.delivery.outbox.enabled}). A connection's route gets this step only when it names no other.
 */
@ApplicationScoped
public class OutboxSmsSender implements Provider {

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

    @Override
    public String name() {
        return PROVIDER;
    }

    @Override
    public boolean serves(Channel channel) {
        return channel == Channel.SMS;
    }

    @Override
    public String problem(Step step) {
        return active() ? null : "connection " + step.connection() + " has no Twilio credentials and the outbox is off";
    }

    /** The outbox message id is the provider id. */
    @Override
    public Uni<String> send(Step step, Outgoing message) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        String messageId = "OB" + HexFormat.of().formatHex(id);
        OutboxMessage m = new OutboxMessage(messageId, message.recipient(), PROVIDER, message.text(),
                message.eventId(), step.connection(), message.segments(), clock.instant());
        return store.add(m, config.maxPerRecipient(), config.retention()).replaceWith(messageId);
    }
}
