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

    /**
     * The token with this hash, locked for the rest of the transaction (two uses of one token queue up); null when
     * there is none, or when any token of its family is revoked: a family with one revoked row is dead, whatever rows
     * a revocation could not see (see {@code RefreshTokens}). The family check is part of the same statement, on
     * the partial index {@code refresh_tokens_revoked_family} (empty for a live family).
     */
    public Uni<RefreshTokenEntity> findForUpdate(String tokenHash) {
        return find("from RefreshTokenEntity t where t.tokenHash = ?1 and not exists (select r.id from"
                + " RefreshTokenEntity r where r.familyId = t.familyId and r.revokedAt is not null)", tokenHash)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
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
