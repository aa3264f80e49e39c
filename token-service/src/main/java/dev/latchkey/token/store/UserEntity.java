package dev.latchkey.token.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.latchkey.common.event.Channel;

/** A person on one connection (table {@code users}). Never an API body: see the api records. */
@Entity
@Table(name = "users")
public class UserEntity {

    @Id
    @Column(name = "user_id")
    public String userId;

    public String connection;

    public String strategy;

    /** Normalised phone number (E.164) or email. */
    public String identifier;

    @Column(name = "phone_verified")
    public boolean phoneVerified;

    @Column(name = "email_verified")
    public boolean emailVerified;

    public boolean blocked;

    @Column(name = "logins_count")
    public int loginsCount;

    @Column(name = "last_login")
    public Instant lastLogin;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The channel its connection's {@code strategy} names; {@code null} for a word that names none. */
    public Channel channel() {
        return Channel.of(strategy).orElse(null);
    }
}
