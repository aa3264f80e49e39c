package dev.latchkey.token.keys;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import dev.latchkey.token.config.TokenConfig;
import dev.latchkey.token.keys.KeyMaterial.NewKey;
import dev.latchkey.token.keys.KeyRingPolicy.Change;
import dev.latchkey.token.provider.CryptoProvider;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.store.SigningKeyEntity;
import dev.latchkey.token.store.SigningKeyRepository;

/**
 * The key ring: for each algorithm (RS256, ES256) one {@code current} key that signs, one {@code next} key that is
 * already published in the JWKS but does not sign yet, and {@code previous} keys that stay published until every token
 * they signed has expired ({@code max-token-lifetime}); what changes when is {@link KeyRingPolicy}'s. Every instance
 * re-reads the ring from PostgreSQL periodically; changes are serialised across instances by a PostgreSQL advisory
 * lock.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final SigningKeyRepository repository;
    private final KeyMaterial material;
    private final KeyRingPolicy policy;
    private final Clock clock;
    private final CryptoProvider crypto;
    private final String ringId;

    private volatile Ring ring;

    public SigningKeys(SigningKeyRepository repository, KeyMaterial material, TokenConfig config, Clock clock,
            CryptoProvider crypto) {
        this.repository = repository;
        this.material = material;
        this.policy = new KeyRingPolicy(config.keys().rotationPeriod(), config.maxTokenLifetime());
        this.clock = clock;
        this.crypto = crypto;
        this.ringId = material.ringId();
    }

    /** An immutable snapshot of the published keys. */
    public record Ring(Map<String, SigningKey> byKid, Map<String, SigningKey> current, List<SigningKey> published) {

        public Optional<SigningKey> published(String kid) {
            return Optional.ofNullable(kid == null ? null : byKid.get(kid));
        }
    }

    void onStart(@Observes StartupEvent event) {
        crypto.installed();
        try {
            VertxContextSupport.subscribeAndAwait(() -> refresh().ifNoItem().after(Duration.ofSeconds(15)).fail());
        } catch (Throwable e) {
            // PostgreSQL may be down at start; the scheduled refresh and the first token request try again.
            LOG.warnf("signing keys not loaded at start: %s", describe(e));
        }
    }

    /** {@code latchkey.token.keys.refresh-interval} (30 s): how often each instance re-reads the key ring. */
    @Scheduled(every = "${latchkey.token.keys.refresh-interval:30s}", delayed = "${latchkey.token.keys.refresh-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledRefresh() {
        return refresh().onFailure().recoverWithItem(e -> {
            LOG.warnf("signing keys not refreshed: %s", describe(e));
            return null;
        }).replaceWithVoid();
    }

    /** The ring, loading it first if this instance has not managed to yet. */
    public Uni<Ring> ring() {
        Ring r = ring;
        return r != null
                ? Uni.createFrom().item(r)
                : refresh().onFailure().transform(e -> {
                    LOG.warnf("signing keys unavailable: %s", describe(e));
                    return AuthError.unavailable("Signing keys are not available; try again shortly.");
                });
    }

    /** The ring as last loaded; null before the first load. */
    public Ring loaded() {
        return ring;
    }

    /** The key that signs {@code alg} tokens now. */
    public Uni<SigningKey> signer(String alg) {
        return ring().map(r -> {
            SigningKey k = r.current().get(alg);
            if (k == null) {
                throw AuthError.unavailable("No " + alg + " signing key yet; try again shortly.");
            }
            return k;
        });
    }

    /**
     * Re-reads the ring; creates what is missing (first start) and rotates keys past {@code rotation-period}.
     */
    public Uni<Ring> refresh() {
        Instant now = clock.instant();
        return Panache.withSession(() -> repository.published(ringId, now)).chain(rows -> {
            List<String> algs = policy.keysToMake(rows, now);
            if (algs.isEmpty()) {
                return Uni.createFrom().item(load(rows));
            }
            // New keys are made off the event loop, before the transaction; the policy decides again under the lock.
            return offloop(() -> newKeys(algs))
                    .chain(fresh -> changeLocked(now, locked -> policy.refresh(locked, counts(fresh), now), fresh))
                    .map(this::load);
        });
    }

    /** Rotates the {@code alg} keys now: next becomes current, current becomes previous, a new next is made. */
    public Uni<SigningKey> rotate(String alg) {
        if (!KeyRingPolicy.ALGS.contains(alg)) {
            return Uni.createFrom().failure(AuthError.invalidRequest("alg must be RS256 or ES256"));
        }
        Instant now = clock.instant();
        return offloop(() -> newKeys(List.of(alg, alg)))
                .chain(fresh -> changeLocked(now, locked -> policy.rotate(locked, counts(fresh), alg, now), fresh))
                .map(rows -> {
                    Ring r = load(rows);
                    SigningKey current = r.current().get(alg);
                    LOG.infof("rotated %s signing key: %s now signs", alg, current.kid());
                    return current;
                });
    }

    /** What the policy decides on the rows read under the ring lock. */
    @FunctionalInterface
    private interface Decide {

        List<Change> changes(List<SigningKeyEntity> locked);
    }

    /**
     * In one transaction under the ring lock: re-reads the ring, applies the policy's changes in order (each flushed,
     * so the one-current and one-next indexes hold), retires expired previous keys, and answers the ring after.
     */
    private Uni<List<SigningKeyEntity>> changeLocked(Instant now, Decide decide, Map<String, List<NewKey>> fresh) {
        return Panache.withTransaction(() -> repository.lockRing()
                .chain(() -> repository.published(ringId, now))
                .chain(locked -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Change change : decide.changes(locked)) {
                        chain = chain.chain(() -> apply(change, fresh, now));
                    }
                    return chain;
                })
                .chain(() -> repository.retireExpired(ringId, now))
                .chain(() -> repository.published(ringId, now)));
    }

    private Uni<Void> apply(Change change, Map<String, List<NewKey>> fresh, Instant now) {
        return switch (change) {
            case Change.Create create -> {
                if (SigningKeyEntity.CURRENT.equals(create.state())) {
                    LOG.infof("created the first %s signing key", create.alg()); // later ones start as next
                }
                NewKey key = fresh.get(create.alg()).removeFirst();
                yield repository.persistAndFlush(material.entity(key, create.state(), now)).replaceWithVoid();
            }
            case Change.Retire retire -> repository.inState(ringId, retire.alg(), SigningKeyEntity.CURRENT)
                    .chain(current -> {
                        current.state = SigningKeyEntity.PREVIOUS;
                        current.retiredAt = now;
                        current.expiresAt = retire.publishedUntil();
                        return repository.flush();
                    });
            case Change.Activate activate -> repository.inState(ringId, activate.alg(), SigningKeyEntity.NEXT)
                    .chain(next -> {
                        next.state = SigningKeyEntity.CURRENT;
                        next.activatedAt = now;
                        return repository.flush();
                    });
        };
    }

    private Ring load(List<SigningKeyEntity> rows) {
        Map<String, SigningKey> byKid = new HashMap<>();
        Map<String, SigningKey> current = new HashMap<>();
        List<SigningKey> published = new ArrayList<>();
        Ring before = ring;
        for (SigningKeyEntity e : rows) {
            try {
                PrivateKey privateKey = null;
                if (SigningKeyEntity.CURRENT.equals(e.state)) {
                    SigningKey known = before == null ? null : before.current().get(e.alg);
                    privateKey = known != null && known.kid().equals(e.kid)
                            ? known.privateKey()
                            : material.privateKey(e);
                }
                SigningKey k = new SigningKey(e.kid, e.alg, e.state, material.publicKey(e), privateKey, e.createdAt,
                        e.activatedAt, e.retiredAt, e.expiresAt);
                byKid.put(k.kid(), k);
                published.add(k);
                if (privateKey != null) {
                    current.put(k.alg(), k);
                }
            } catch (GeneralSecurityException | RuntimeException ex) {
                // A key sealed with another platform key (or damaged) is left out rather than taking the ring down.
                LOG.errorf("signing key %s cannot be loaded: %s", e.kid, describe(ex));
            }
        }
        Ring r = new Ring(Map.copyOf(byKid), Map.copyOf(current), List.copyOf(published));
        ring = r;
        return r;
    }

    private Map<String, List<NewKey>> newKeys(List<String> algs) {
        Map<String, List<NewKey>> keys = new HashMap<>();
        for (String alg : algs) {
            keys.computeIfAbsent(alg, a -> new ArrayList<>()).add(material.generate(alg));
        }
        return keys;
    }

    private static Map<String, Integer> counts(Map<String, List<NewKey>> fresh) {
        Map<String, Integer> n = new HashMap<>();
        fresh.forEach((alg, keys) -> n.put(alg, keys.size()));
        return n;
    }

    /** Runs CPU-heavy work (key generation) on a worker thread and resumes on the caller's Vert.x context. */
    private static <T> Uni<T> offloop(Supplier<T> work) {
        Context context = Vertx.currentContext();
        Uni<T> uni = Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return context == null ? uni : uni.emitOn(r -> context.runOnContext(v -> r.run()));
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
