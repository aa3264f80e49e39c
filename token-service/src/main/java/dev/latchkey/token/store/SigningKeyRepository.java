package dev.latchkey.token.store;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Signing keys in PostgreSQL. Callers open the session or transaction. */
@ApplicationScoped
public class SigningKeyRepository implements PanacheRepositoryBase<SigningKeyEntity, String> {

    // Any number will do as long as it is only used for this: it serialises key changes across instances.
    private static final long RING_LOCK = 0x4c4b_5349_474eL;

    /** Keys of a ring that are in the JWKS: next, current, and previous ones until they expire. */
    public Uni<List<SigningKeyEntity>> published(String ring, Instant now) {
        return list("ring = :ring and (state in ('next', 'current') or (state = 'previous' and expiresAt > :now))",
                Sort.ascending("createdAt"), Parameters.with("ring", ring).and("now", now));
    }

    /** Takes the transaction-scoped lock on the key ring, so one instance at a time bootstraps or rotates. */
    public Uni<Void> lockRing() {
        return getSession().chain(s -> s.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:id)) l",
                Integer.class).setParameter("id", RING_LOCK).getSingleResult()).replaceWithVoid();
    }

    public Uni<SigningKeyEntity> inState(String ring, String alg, String state) {
        return find("ring = :ring and alg = :alg and state = :state",
                Parameters.with("ring", ring).and("alg", alg).and("state", state)).firstResult();
    }

    /** Forgets the private parts of previous keys past their expiry and takes them out of the JWKS. */
    public Uni<Integer> retireExpired(String ring, Instant now) {
        return update("state = 'retired', privateKeyEnc = null "
                + "where ring = :ring and state = 'previous' and expiresAt <= :now",
                Parameters.with("ring", ring).and("now", now));
    }
}
