package dev.latchkey.token.user;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.event.Channel;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.store.OtpStore;
import dev.latchkey.token.store.UserEntity;
import dev.latchkey.token.store.UserRepository;

/**
 * Users: created by their first login on a connection, found by later ones; blocked users get no tokens (and, through
 * a Redis marker otp-service honours, no codes).
 */
@ApplicationScoped
public class Users {

    private static final Logger LOG = Logger.getLogger(Users.class);

    private final UserRepository repository;
    private final OtpStore otp;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Users(UserRepository repository, OtpStore otp, Clock clock) {
        this.repository = repository;
        this.otp = otp;
        this.clock = clock;
    }

    /** A page of a user search. */
    public record Page(List<UserEntity> users, int page, int perPage, long total) {
    }

    /**
     * The user a verified code stands for, created on first login unless the connection has signup disabled (then an
     * unknown recipient is refused exactly like a wrong code). Blocked: 401 {@code unauthorized}.
     */
    public Uni<UserEntity> login(ConnectionConfig connection, String recipient) {
        Instant now = clock.instant();
        UserEntity fresh = new UserEntity();
        fresh.userId = connection.strategy() + "|" + newId();
        fresh.connection = connection.name();
        fresh.strategy = connection.strategy();
        fresh.identifier = recipient;
        fresh.phoneVerified = connection.channel() == Channel.SMS;
        fresh.emailVerified = connection.channel() == Channel.EMAIL;
        Uni<UserEntity> row = connection.signupDisabled()
                ? repository.loginExisting(fresh, now)
                : repository.login(fresh, now);
        return row.onFailure().transform(e -> {
            LOG.errorf("login not recorded in PostgreSQL: %s", e.getMessage());
            return AuthError.unavailable("Sign-in is not possible right now; try again shortly.");
        }).map(user -> {
            if (user == null) {
                throw AuthError.wrongCode(connection);
            }
            if (user.blocked) {
                throw AuthError.blocked();
            }
            return user;
        });
    }

    /** A user that may still get tokens (refresh, code exchange): 403 when gone, 401 when blocked. */
    public Uni<UserEntity> active(String userId) {
        return Panache.withSession(() -> repository.findById(userId)).map(user -> {
            if (user == null) {
                throw AuthError.invalidGrant("The user no longer exists.");
            }
            if (user.blocked) {
                throw AuthError.blocked();
            }
            return user;
        });
    }

    public Uni<UserEntity> get(String userId) {
        return Panache.withSession(() -> repository.findById(userId));
    }

    public Uni<Page> search(UserRepository.Filter filter, int page, int perPage) {
        return Panache.withSession(() -> repository.search(filter, page, perPage)
                .chain(users -> repository.count(filter).map(total -> new Page(users, page, perPage, total))));
    }

    /** Blocks or unblocks; null when there is no such user. */
    public Uni<UserEntity> setBlocked(String userId, boolean blocked) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> repository.findById(userId).onItem().ifNotNull().transform(u -> {
            if (u.blocked != blocked) {
                u.blocked = blocked;
                u.updatedAt = now;
            }
            return u;
        })).call(u -> u == null ? Uni.createFrom().voidItem() : otp.markBlocked(u.connection, u.identifier, blocked));
    }

    /** Deletes the user and with it every refresh token it holds; false when there was none. */
    public Uni<Boolean> delete(String userId) {
        return Panache.withTransaction(() -> repository.findById(userId).onItem().ifNotNull()
                .call(u -> repository.delete(u)))
                .call(u -> u == null ? Uni.createFrom().voidItem() : otp.markBlocked(u.connection, u.identifier, false))
                .map(u -> u != null);
    }

    /**
     * Puts back the blocked markers in Redis from PostgreSQL (after a Redis restart they are gone, and otp-service
     * would send codes to blocked users again). At start and hourly.
     */
    @Scheduled(every = "1h", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> restoreBlockedMarkers() {
        return Panache.withSession(repository::blocked)
                .chain(users -> users.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : Uni.join().all(users.stream()
                                .map(u -> otp.markBlocked(u.connection, u.identifier, true)).toList())
                                .usingConcurrencyOf(8).andCollectFailures().replaceWithVoid()
                                .onItem().invoke(() -> {
                                    if (!users.isEmpty()) {
                                        LOG.debugf("blocked markers restored for %d users", users.size());
                                    }
                                }))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("blocked markers not restored: %s", e.getMessage());
                    return null;
                });
    }

    private String newId() {
        byte[] id = new byte[12];
        random.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }
}
