package dev.latchkey.token.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javax.crypto.Mac;

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

import dev.latchkey.common.crypto.PlatformCipher;
import dev.latchkey.common.crypto.PlatformKeys;
import dev.latchkey.token.config.TokenConfig;
import dev.latchkey.token.provider.CryptoProvider;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.store.SigningKeyEntity;
import dev.latchkey.token.store.SigningKeyRepository;

/**
 * The key ring: for each algorithm (RS256, ES256) one {@code current} key that signs, one {@code next} key that is
 * already published in the JWKS but does not sign yet, and {@code previous} keys that stay published until every token
 * they signed has expired ({@code max-token-lifetime}). A rotation makes next current and creates a new next, so a
 * key is always in the JWKS before it signs. Every instance re-reads the ring from PostgreSQL periodically; changes
 * are serialised across instances by a PostgreSQL advisory lock.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    private static final List<String> ALGS = List.of(SigningKey.RS256, SigningKey.ES256);

    private final SigningKeyRepository repository;
    private final PlatformCipher cipher;
    private final TokenConfig config;
    private final Clock clock;
    private final CryptoProvider crypto;
    private final SecureRandom random = new SecureRandom();
    private final String ringId;

    private volatile Ring ring;

    public SigningKeys(SigningKeyRepository repository, PlatformCipher cipher, PlatformKeys platformKeys,
            TokenConfig config, Clock clock, CryptoProvider crypto) {
        this.repository = repository;
        this.cipher = cipher;
        this.config = config;
        this.clock = clock;
        this.crypto = crypto;
        this.ringId = fingerprint(platformKeys);
    }

    /**
     * Names the ring after the platform key (HMAC of a fixed label: reveals nothing of the key). Instances sharing a
     * platform key share a ring; a process with another key (dev and test runs get a random one) has its own.
     */
    static String fingerprint(PlatformKeys keys) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(keys.otpHmacKey());
            byte[] out = mac.doFinal("latchkey/signing-key-ring/v1".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(out, 0, 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
            List<String> missing = missing(rows);
            List<String> due = due(rows, now);
            if (missing.isEmpty() && due.isEmpty()) {
                return Uni.createFrom().item(load(rows));
            }
            // New keys are made off the event loop, before the transaction: two for an algorithm without any
            // (current and next), one per due rotation.
            List<String> algs = new ArrayList<>();
            missing.forEach(alg -> algs.addAll(List.of(alg, alg)));
            algs.addAll(due);
            return offloop(() -> newKeys(algs))
                    .chain(fresh -> Panache.withTransaction(() -> repository.lockRing()
                            .chain(() -> repository.published(ringId, now))
                            .chain(locked -> complete(locked, fresh, now, true))
                            .chain(() -> repository.published(ringId, now))))
                    .map(this::load);
        });
    }

    /** Rotates the {@code alg} keys now: next becomes current, current becomes previous, a new next is made. */
    public Uni<SigningKey> rotate(String alg) {
        if (!ALGS.contains(alg)) {
            return Uni.createFrom().failure(AuthError.invalidRequest("alg must be RS256 or ES256"));
        }
        Instant now = clock.instant();
        return offloop(() -> newKeys(List.of(alg, alg)))
                .chain(fresh -> Panache.withTransaction(() -> repository.lockRing()
                        .chain(() -> repository.published(ringId, now))
                        .chain(rows -> complete(rows, fresh, now, false)) // first start: make the ring whole
                        .chain(() -> rotateLocked(alg, fresh, now))
                        .chain(() -> repository.published(ringId, now))))
                .map(rows -> {
                    Ring r = load(rows);
                    SigningKey current = r.current().get(alg);
                    LOG.infof("rotated %s signing key: %s now signs", alg, current.kid());
                    return current;
                });
    }

    private List<String> missing(List<SigningKeyEntity> rows) {
        List<String> missing = new ArrayList<>();
        for (String alg : ALGS) {
            boolean current = rows.stream()
                    .anyMatch(k -> alg.equals(k.alg) && SigningKeyEntity.CURRENT.equals(k.state));
            boolean next = rows.stream().anyMatch(k -> alg.equals(k.alg) && SigningKeyEntity.NEXT.equals(k.state));
            if (!current || !next) {
                missing.add(alg);
            }
        }
        return missing;
    }

    private List<String> due(List<SigningKeyEntity> rows, Instant now) {
        return due(rows, now, config.keys().rotationPeriod());
    }

    /** The algorithms whose current key has signed for {@code period} or longer (none without a period). */
    static List<String> due(List<SigningKeyEntity> rows, Instant now, Optional<Duration> period) {
        Optional<Duration> p = period.filter(d -> !d.isZero() && !d.isNegative());
        if (p.isEmpty()) {
            return List.of();
        }
        return rows.stream().filter(k -> SigningKeyEntity.CURRENT.equals(k.state) && k.activatedAt != null
                && !k.activatedAt.plus(p.get()).isAfter(now)).map(k -> k.alg).distinct().toList();
    }

    /** Under the ring lock: fills in missing current/next keys and, if asked, performs due rotations. */
    private Uni<Void> complete(List<SigningKeyEntity> rows, Map<String, List<NewKey>> fresh, Instant now,
            boolean rotateDue) {
        List<SigningKeyEntity> created = new ArrayList<>();
        for (String alg : ALGS) {
            List<NewKey> pool = new ArrayList<>(fresh.getOrDefault(alg, List.of()));
            boolean hasCurrent = rows.stream()
                    .anyMatch(k -> alg.equals(k.alg) && SigningKeyEntity.CURRENT.equals(k.state));
            boolean hasNext = rows.stream().anyMatch(k -> alg.equals(k.alg) && SigningKeyEntity.NEXT.equals(k.state));
            if (!hasCurrent && !pool.isEmpty()) {
                created.add(entity(pool.removeFirst(), SigningKeyEntity.CURRENT, now));
                LOG.infof("created the first %s signing key", alg);
            }
            if (!hasNext && !pool.isEmpty()) {
                created.add(entity(pool.removeFirst(), SigningKeyEntity.NEXT, now));
            }
            fresh.put(alg, pool);
        }
        Uni<Void> chain = created.isEmpty()
                ? Uni.createFrom().voidItem()
                : repository.persist(created).replaceWithVoid();
        for (String alg : rotateDue ? due(rows, now) : List.<String>of()) {
            chain = chain.chain(() -> rotateLocked(alg, fresh, now));
        }
        return chain.chain(() -> repository.retireExpired(ringId, now)).replaceWithVoid();
    }

    private Uni<Void> rotateLocked(String alg, Map<String, List<NewKey>> fresh, Instant now) {
        List<NewKey> pool = fresh.getOrDefault(alg, List.of());
        if (pool.isEmpty()) {
            return Uni.createFrom().voidItem(); // already done by the ring's first creation in this transaction
        }
        NewKey successor = pool.removeFirst();
        Instant until = now.plus(config.maxTokenLifetime());
        return repository.inState(ringId, alg, SigningKeyEntity.CURRENT).chain(current -> {
            if (current != null) {
                current.state = SigningKeyEntity.PREVIOUS;
                current.retiredAt = now;
                current.expiresAt = until;
            }
            return repository.flush();
        }).chain(() -> repository.inState(ringId, alg, SigningKeyEntity.NEXT)).chain(next -> {
            if (next != null) {
                next.state = SigningKeyEntity.CURRENT;
                next.activatedAt = now;
            }
            return repository.flush();
        }).chain(() -> repository.persistAndFlush(entity(successor, SigningKeyEntity.NEXT, now))).replaceWithVoid();
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
                    privateKey = known != null && known.kid().equals(e.kid) ? known.privateKey() : privateKey(e);
                }
                SigningKey k = new SigningKey(e.kid, e.alg, e.state, publicKey(e), privateKey, e.createdAt,
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

    private record NewKey(String kid, String alg, KeyPair pair) {
    }

    private Map<String, List<NewKey>> newKeys(List<String> algs) {
        Map<String, List<NewKey>> keys = new HashMap<>();
        for (String alg : algs) {
            keys.computeIfAbsent(alg, a -> new ArrayList<>()).add(generate(alg));
        }
        return keys;
    }

    private NewKey generate(String alg) {
        try {
            KeyPairGenerator g;
            if (SigningKey.RS256.equals(alg)) {
                g = KeyPairGenerator.getInstance("RSA");
                g.initialize(config.keys().rsaBits(), random);
            } else {
                g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"), random);
            }
            byte[] id = new byte[12];
            random.nextBytes(id);
            return new NewKey(Base64.getUrlEncoder().withoutPadding().encodeToString(id), alg, g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an " + alg + " key", e);
        }
    }

    private SigningKeyEntity entity(NewKey k, String state, Instant now) {
        SigningKeyEntity e = new SigningKeyEntity();
        e.kid = k.kid();
        e.ring = ringId;
        e.alg = k.alg();
        e.state = state;
        e.publicKey = Base64.getEncoder().encodeToString(k.pair().getPublic().getEncoded());
        e.privateKeyEnc = cipher.encrypt(Base64.getEncoder().encodeToString(k.pair().getPrivate().getEncoded()),
                context(k.kid()));
        e.createdAt = now;
        e.activatedAt = SigningKeyEntity.CURRENT.equals(state) ? now : null;
        return e;
    }

    private PublicKey publicKey(SigningKeyEntity e) throws GeneralSecurityException {
        return factory(e.alg).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(e.publicKey)));
    }

    private PrivateKey privateKey(SigningKeyEntity e) throws GeneralSecurityException {
        String pkcs8 = cipher.decrypt(e.privateKeyEnc, context(e.kid));
        return factory(e.alg).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8)));
    }

    private static KeyFactory factory(String alg) throws GeneralSecurityException {
        return KeyFactory.getInstance(SigningKey.RS256.equals(alg) ? "RSA" : "EC");
    }

    private static String context(String kid) {
        return "signing-key:" + kid;
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
