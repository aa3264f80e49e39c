package dev.latchkey.token.store;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Users in PostgreSQL. Callers open the session ({@code Panache.withSession} / {@code withTransaction}). */
@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<UserEntity, String> {

    // One statement per login: create the user on first sight, otherwise count the login (unless blocked).
    private static final String UPSERT = """
            INSERT INTO users AS u (user_id, connection, strategy, identifier, phone_verified, email_verified, blocked,
                                    logins_count, last_login, created_at, updated_at)
            VALUES (:userId, :connection, :strategy, :identifier, :phoneVerified, :emailVerified, false,
                    1, :now, :now, :now)
            ON CONFLICT (connection, identifier) DO UPDATE SET
                logins_count   = CASE WHEN u.blocked THEN u.logins_count ELSE u.logins_count + 1 END,
                last_login     = CASE WHEN u.blocked THEN u.last_login ELSE EXCLUDED.last_login END,
                phone_verified = u.phone_verified OR EXCLUDED.phone_verified,
                email_verified = u.email_verified OR EXCLUDED.email_verified,
                updated_at     = CASE WHEN u.blocked THEN u.updated_at ELSE EXCLUDED.updated_at END
            RETURNING u.*""";

    // The same for a connection with signup disabled: known users only.
    private static final String LOGIN_EXISTING = """
            UPDATE users AS u SET
                logins_count   = CASE WHEN u.blocked THEN u.logins_count ELSE u.logins_count + 1 END,
                last_login     = CASE WHEN u.blocked THEN u.last_login ELSE :now END,
                phone_verified = u.phone_verified OR :phoneVerified,
                email_verified = u.email_verified OR :emailVerified,
                updated_at     = CASE WHEN u.blocked THEN u.updated_at ELSE :now END
            WHERE u.connection = :connection AND u.identifier = :identifier
            RETURNING u.*""";

    /** Finds or creates the user of {@code fresh}'s connection and identifier and counts the login. */
    public Uni<UserEntity> login(UserEntity fresh, Instant now) {
        return getSession().chain(s -> s.createNativeQuery(UPSERT, UserEntity.class)
                .setParameter("userId", fresh.userId)
                .setParameter("connection", fresh.connection)
                .setParameter("strategy", fresh.strategy)
                .setParameter("identifier", fresh.identifier)
                .setParameter("phoneVerified", fresh.phoneVerified)
                .setParameter("emailVerified", fresh.emailVerified)
                .setParameter("now", now)
                .getSingleResult());
    }

    /** Counts the login of an existing user; null when there is none. */
    public Uni<UserEntity> loginExisting(UserEntity known, Instant now) {
        return getSession().chain(s -> s.createNativeQuery(LOGIN_EXISTING, UserEntity.class)
                .setParameter("connection", known.connection)
                .setParameter("identifier", known.identifier)
                .setParameter("phoneVerified", known.phoneVerified)
                .setParameter("emailVerified", known.emailVerified)
                .setParameter("now", now)
                .getSingleResultOrNull());
    }

    /**
     * Users matching all given filters (null = any): exact connection, exact identifier, identifier containing
     * {@code contains}; newest first.
     */
    public Uni<List<UserEntity>> search(Filter filter, int page, int perPage) {
        return find(filter.query(), Sort.descending("createdAt").and("userId"), filter.parameters())
                .page(Page.of(page, perPage)).list();
    }

    public Uni<Long> count(Filter filter) {
        return count(filter.query(), filter.parameters());
    }

    public Uni<List<UserEntity>> blocked() {
        return list("blocked", true);
    }

    /** Filters of a user search. */
    public record Filter(String connection, String identifier, String contains) {

        String query() {
            StringBuilder q = new StringBuilder("1 = 1");
            if (connection != null) {
                q.append(" and connection = :connection");
            }
            if (identifier != null) {
                q.append(" and identifier = :identifier");
            }
            if (contains != null) {
                q.append(" and identifier like :contains escape '\\'");
            }
            return q.toString();
        }

        Parameters parameters() {
            Parameters p = new Parameters();
            if (connection != null) {
                p = p.and("connection", connection);
            }
            if (identifier != null) {
                p = p.and("identifier", identifier);
            }
            if (contains != null) {
                p = p.and("contains", "%" + contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                        + "%");
            }
            return p;
        }
    }
}
