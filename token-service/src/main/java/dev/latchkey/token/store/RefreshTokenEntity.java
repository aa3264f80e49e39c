package dev.latchkey.token.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One refresh token of a rotation family (table {@code refresh_tokens}); only its SHA-256 is kept. */
@Entity
@Table(name = "refresh_tokens")
public class RefreshTokenEntity {

    @Id
    public UUID id;

    @Column(name = "family_id")
    public UUID familyId;

    @Column(name = "token_hash")
    public String tokenHash;

    @Column(name = "user_id")
    public String userId;

    @Column(name = "client_id")
    public String clientId;

    /** Space-separated scopes granted when the family began. */
    public String scope;

    public String audience;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "rotated_at")
    public Instant rotatedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;
}
