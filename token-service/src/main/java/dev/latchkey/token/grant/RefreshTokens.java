package dev.latchkey.token.grant;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.store.OpaqueTokens;
import dev.latchkey.token.store.RefreshTokenEntity;
import dev.latchkey.token.store.RefreshTokenRepository;

/**
 * Opaque refresh tokens (256 random bits), kept only as SHA-256. Rotating clients get a new token on every use;
 * presenting a token that was already rotated (after the client's reuse interval) is taken as theft and revokes its
 * whole family (Auth0, OWASP ASVS 10.4.5). A family ends at its absolute lifetime whatever the rotations.
 * <p>
 * A family is dead as soon as one of its rows is revoked, and every use checks that in the statement that finds and
 * locks the presented token. Revoking marks each row of the family, but under READ COMMITTED its UPDATE only sees
 * the rows committed when it started: a rotation that had already locked a token of the family makes the UPDATE wait,
 * then commits its new token, which the UPDATE never sees and leaves unmarked. That token is still refused, because
 * its family has revoked rows (a revocation marks every row it sees, the family's first one at least, and marks are
 * never removed), and under READ COMMITTED each statement sees what was committed before it started, on any pod. So
 * once a revocation has committed no token of the family is accepted, with no lock and no round trip more than the
 * rotation had (a family row locked by every use and every revocation would do too, at the price of a second lock
 * and an order to keep between the two); a rotation that read the family before that commit is simply ordered
 * before the revocation.
 */
@ApplicationScoped
public class RefreshTokens {

    private static final Logger LOG = Logger.getLogger(RefreshTokens.class);
    static final String INVALID = "Unknown or invalid refresh token.";

    private final RefreshTokenRepository repository;
    private final Clock clock;

    public RefreshTokens(RefreshTokenRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /**
     * A refresh token that was accepted, and the one that replaces it (null for non-rotating clients); or, with only
     * {@code reusedFamily}, a rotated token presented again, whose family is to be revoked.
     */
    public record Use(RefreshTokenEntity used, String replacement, UUID reusedFamily) {

        Use(RefreshTokenEntity used, String replacement) {
            this(used, replacement, null);
        }

        static Use reuse(UUID family) {
            return new Use(null, null, family);
        }
    }

    /** A new refresh token (to hand out) and the family it starts. */
    public record Issued(String token, UUID family) {
    }

    /** Starts a family. */
    public Uni<Issued> issue(ClientConfig client, String userId, String scope, String audience) {
        Instant now = clock.instant();
        String token = OpaqueTokens.random(32);
        RefreshTokenEntity e = new RefreshTokenEntity();
        e.id = UUID.randomUUID();
        e.familyId = e.id;
        e.tokenHash = OpaqueTokens.sha256Hex(token);
        e.userId = userId;
        e.clientId = client.clientId();
        e.scope = scope;
        e.audience = audience;
        e.createdAt = now;
        e.expiresAt = now.plusSeconds(settings(client).absoluteTtlSeconds());
        return Panache.withTransaction(() -> repository.persist(e)).replaceWith(new Issued(token, e.familyId));
    }

    /**
     * Revokes a family: every token of it, those it rotated into included, is refused once this has committed (a token
     * a concurrent rotation adds may stay unmarked, but its family check refuses it; see the class comment). Answers
     * how many rows were marked.
     */
    public Uni<Integer> revokeFamily(UUID family) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> repository.revokeFamily(family, now));
    }

    /** Accepts a presented token for {@code client}, rotating it when the client rotates; 403 otherwise. */
    public Uni<Use> use(ClientConfig client, String presented) {
        if (presented == null || presented.length() > 128) {
            return Uni.createFrom().failure(AuthError.invalidGrant(INVALID));
        }
        Instant now = clock.instant();
        ClientConfig.RefreshTokenSettings settings = settings(client);
        String replacement = settings.rotating() ? OpaqueTokens.random(32) : null;
        return Panache.withTransaction(() -> repository.findForUpdate(OpaqueTokens.sha256Hex(presented)).chain(t -> {
            // Null too when the family has a revoked row. revokedAt is still checked: a revocation that held this row
            // while the lookup waited for it is seen on the row, not by the family check, which ran before it.
            if (t == null || !t.clientId.equals(client.clientId()) || t.revokedAt != null
                    || !t.expiresAt.isAfter(now)) {
                return Uni.createFrom().failure(AuthError.invalidGrant(INVALID));
            }
            if (t.rotatedAt != null) {
                Duration since = Duration.between(t.rotatedAt, now);
                if (since.getSeconds() >= settings.reuseIntervalSeconds()) {
                    return Uni.createFrom().item(Use.reuse(t.familyId));
                }
            }
            if (replacement == null) {
                return Uni.createFrom().item(new Use(t, null));
            }
            if (t.rotatedAt == null) {
                t.rotatedAt = now;
            }
            RefreshTokenEntity next = new RefreshTokenEntity();
            next.id = UUID.randomUUID();
            next.familyId = t.familyId;
            next.tokenHash = OpaqueTokens.sha256Hex(replacement);
            next.userId = t.userId;
            next.clientId = t.clientId;
            next.scope = t.scope;
            next.audience = t.audience;
            next.createdAt = now;
            next.expiresAt = t.expiresAt;
            return repository.persist(next).map(x -> new Use(t, replacement));
        })).chain(use -> {
            if (use.reusedFamily() == null) {
                return Uni.createFrom().item(use);
            }
            // Revoked once the presented row's lock is released: two reuses of one family at once would otherwise
            // each hold the row it presented and wait for the other's in the family update (a deadlock, and a 500).
            return revokeFamily(use.reusedFamily()).chain(n -> {
                LOG.infof("refresh token reuse detected (family %s, client %s): family revoked", use.reusedFamily(),
                        client.clientId());
                return Uni.createFrom().<Use>failure(AuthError.invalidGrant(INVALID));
            });
        });
    }

    private static ClientConfig.RefreshTokenSettings settings(ClientConfig client) {
        return client.refreshToken() != null
                ? client.refreshToken()
                : new ClientConfig.RefreshTokenSettings(null, null, null);
    }
}
