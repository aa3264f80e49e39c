package dev.latchkey.token.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/** Refresh tokens in PostgreSQL. Callers open the transaction. */
@ApplicationScoped
public class RefreshTokenRepository implements PanacheRepositoryBase<RefreshTokenEntity, UUID> {

    /** The token with this hash, locked for the rest of the transaction (two uses of one token queue up). */
    public Uni<RefreshTokenEntity> findForUpdate(String tokenHash) {
        return find("tokenHash", tokenHash).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<Integer> revokeFamily(UUID familyId, Instant now) {
        return update("revokedAt = :now where familyId = :family and revokedAt is null",
                Parameters.with("now", now).and("family", familyId));
    }

    public Uni<Integer> revokeForUser(String userId, Instant now) {
        return update("revokedAt = :now where userId = :user and revokedAt is null",
                Parameters.with("now", now).and("user", userId));
    }
}
