package dev.latchkey.admin.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** An application. {@link #config} is the JSON of the record published to the config topic. */
@Entity
@Table(name = "clients")
public class ClientEntity extends PanacheEntityBase {

    @Id
    @Column(name = "client_id")
    public String clientId;

    public String name;

    /** {@code none}, {@code client_secret_post} or {@code client_secret_basic}. */
    @Column(name = "auth_method")
    public String authMethod;

    public String config;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public int version;
}
