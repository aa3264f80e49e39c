package dev.latchkey.admin.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A connection. {@link #config} is the JSON of the record published to the config topic, secrets encrypted. */
@Entity
@Table(name = "connections")
public class ConnectionEntity extends PanacheEntityBase {

    @Id
    public String name;

    public String strategy;

    public String config;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public int version;
}
