package dev.latchkey.admin.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * A config topic record waiting to be published, written in the transaction of the change it describes (see
 * {@link dev.latchkey.admin.messaging.ConfigRelay}). A null payload is a tombstone.
 */
@Entity
@Table(name = "config_outbox")
public class OutboxRecord extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "record_key")
    public String key;

    public String payload;

    public static OutboxRecord of(String key, String payload) {
        OutboxRecord r = new OutboxRecord();
        r.key = key;
        r.payload = payload;
        return r;
    }
}
