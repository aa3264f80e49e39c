package dev.latchkey.token.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
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

    /**
     * Marks every row of a family revoked, locking them in one order ({@code id}) in one statement: two revocations
     * of one family (a code replayed while a rotated token is reused, say) then queue up on the first row instead of
     * each holding some rows and waiting for the other's. Must not run in a transaction that already holds a row of
     * the family (see {@code RefreshTokens#use}).
     */
    public Uni<Integer> revokeFamily(UUID familyId, Instant now) {
        return getSession().chain(s -> s.createNativeQuery("update refresh_tokens set revoked_at = :now where id in"
                + " (select id from refresh_tokens where family_id = :family and revoked_at is null order by id"
                + " for update)")
                .setParameter("now", now).setParameter("family", familyId).executeUpdate());
    }
}
