package dev.latchkey.admin.service;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.latchkey.admin.messaging.ConfigRelay;
import dev.latchkey.admin.store.ClientEntity;
import dev.latchkey.admin.store.ConfigOutbox;
import dev.latchkey.admin.store.ConnectionEntity;

/**
 * The explicit "republish everything" (e.g. after the topic was lost or recreated): queues the current record of
 * every connection, then every client, in one transaction. Normal operation never needs it: each change is
 * published once, and a start publishes nothing that is unchanged.
 */
@ApplicationScoped
public class ConfigResync {

    private final ConfigOutbox outbox;
    private final ConfigRelay relay;

    public ConfigResync(ConfigOutbox outbox, ConfigRelay relay) {
        this.outbox = outbox;
        this.relay = relay;
    }

    /** What was queued. */
    public record Resync(int connections, int clients) {
    }

    public Uni<Resync> resyncAll() {
        return Panache
                .withTransaction(() -> ConnectionEntity.<ConnectionEntity>find("from ConnectionEntity order by name")
                        .list()
                        .flatMap(connections -> ClientEntity.<ClientEntity>find("from ClientEntity order by clientId")
                                .list()
                                .flatMap(clients -> {
                                    List<Supplier<Uni<Void>>> writes = new ArrayList<>();
                                    connections.forEach(c -> writes.add(() -> outbox.append(
                                            ConfigOutbox.connectionKey(c.name), c.config)));
                                    clients.forEach(c -> writes.add(() -> outbox.append(
                                            ConfigOutbox.clientKey(c.clientId), c.config)));
                                    return sequentially(writes)
                                            .replaceWith(new Resync(connections.size(), clients.size()));
                                })))
                .invoke(relay::wake);
    }

    /** Runs the writes one after the other (a reactive session allows one operation at a time). */
    static Uni<Void> sequentially(List<Supplier<Uni<Void>>> writes) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Supplier<Uni<Void>> w : writes) {
            chain = chain.chain(() -> w.get());
        }
        return chain;
    }
}
