package dev.latchkey.admin.store;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;

/**
 * Writes config topic records into the outbox table, inside the caller's transaction: the change and the record
 * that announces it commit (or roll back) together.
 */
@ApplicationScoped
public class ConfigOutbox {

    public static String clientKey(String clientId) {
        return ClientConfig.KEY_PREFIX + clientId;
    }

    public static String connectionKey(String name) {
        return ConnectionConfig.KEY_PREFIX + name;
    }

    /** Queues {@code payload} (the record's JSON, or null for a tombstone) under {@code key}. */
    public Uni<Void> append(String key, String payload) {
        return OutboxRecord.of(key, payload).persist().replaceWithVoid();
    }
}
