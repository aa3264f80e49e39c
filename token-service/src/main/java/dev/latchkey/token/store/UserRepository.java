package dev.latchkey.token.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Users in PostgreSQL. Lookups and changes go through Hibernate Reactive (callers open the session with
 * {@code Panache.withSession} / {@code withTransaction}). The login statement, the one on the hot path, is sent as a
 * prepared statement on the same reactive pool: as a Hibernate native query with an entity result every execution
 * added an entry with the same hash to Hibernate's query-interpretation cache (lookups turned linear and took a third
 * of the CPU of a login), and it needs no session.
 */
@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<UserEntity, String> {

    // One statement per login: create the user on first sight, otherwise count the login (unless blocked).
    private static final String UPSERT = """
            INSERT INTO users AS u (user_id, connection, strategy, identifier, phone_verified, email_verified, blocked,
                                    logins_count, last_login, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, false, 1, $7, $7, $7)
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
                last_login     = CASE WHEN u.blocked THEN u.last_login ELSE $5 END,
                phone_verified = u.phone_verified OR $3,
                email_verified = u.email_verified OR $4,
                updated_at     = CASE WHEN u.blocked THEN u.updated_at ELSE $5 END
            WHERE u.connection = $1 AND u.identifier = $2
            RETURNING u.*""";

    private final Pool pool;

    public UserRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Finds or creates the user of {@code fresh}'s connection and identifier and counts the login; no session needed.
     * The answer is a detached entity.
     */
    public Uni<UserEntity> login(UserEntity fresh, Instant now) {
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        return pool.preparedQuery(UPSERT).execute(Tuple.from(List.of(fresh.userId, fresh.connection, fresh.strategy,
                fresh.identifier, fresh.phoneVerified, fresh.emailVerified, at))).map(UserRepository::first);
    }

    /** Counts the login of an existing user; null when there is none. No session needed. */
    public Uni<UserEntity> loginExisting(UserEntity known, Instant now) {
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        return pool.preparedQuery(LOGIN_EXISTING).execute(Tuple.of(known.connection, known.identifier,
                known.phoneVerified, known.emailVerified, at)).map(UserRepository::first);
    }

    private static UserEntity first(RowSet<Row> rows) {
        var it = rows.iterator();
        if (!it.hasNext()) {
            return null;
        }
        Row r = it.next();
        UserEntity u = new UserEntity();
        u.userId = r.getString("user_id");
        u.connection = r.getString("connection");
        u.strategy = r.getString("strategy");
        u.identifier = r.getString("identifier");
        u.phoneVerified = r.getBoolean("phone_verified");
        u.emailVerified = r.getBoolean("email_verified");
        u.blocked = r.getBoolean("blocked");
        u.loginsCount = r.getInteger("logins_count");
        u.lastLogin = instant(r.getOffsetDateTime("last_login"));
        u.createdAt = instant(r.getOffsetDateTime("created_at"));
        u.updatedAt = instant(r.getOffsetDateTime("updated_at"));
        return u;
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
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
