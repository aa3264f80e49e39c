package dev.latchkey.token;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusMock;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import dev.latchkey.token.store.OpaqueTokens;
import dev.latchkey.token.store.RefreshTokenEntity;
import dev.latchkey.token.store.RefreshTokenRepository;

/**
 * Forces the interleaving of a refresh token rotation with a revocation of its family: the rotation of one token is
 * held just after it has locked that token's row, another request that revokes the family is started, and the
 * rotation goes on only once PostgreSQL reports that request waiting for the rotation's lock. The revocation then
 * runs after the rotation commits, with a view of the family taken before it, so it cannot see the token the
 * rotation issued.
 */
public final class HeldRotation {

    private HeldRotation() {
    }

    /**
     * Installs the hold (for the current test) on the first use of {@code presented}: its rotation, or its
     * detection as a reuse, is held with the row locked until the request {@code revocation} starts waits for it.
     *
     * @param revocation starts the revoking request and answers its eventual response
     * @return completes with the revoking request's response, once it was started
     */
    public static <T> CompletableFuture<T> install(DataSource db, String presented,
            Supplier<CompletableFuture<T>> revocation) {
        String held = OpaqueTokens.sha256Hex(presented);
        AtomicBoolean once = new AtomicBoolean();
        CompletableFuture<T> answer = new CompletableFuture<>();
        QuarkusMock.installMockForType(new RefreshTokenRepository() {

            @Override
            public Uni<RefreshTokenEntity> findForUpdate(String tokenHash) {
                Uni<RefreshTokenEntity> found = super.findForUpdate(tokenHash);
                if (!tokenHash.equals(held) || !once.compareAndSet(false, true)) {
                    return found;
                }
                Context context = Vertx.currentContext();
                return found.call(t -> backendPid().chain(pid -> {
                    revocation.get().whenComplete((r, e) -> {
                        if (e != null) {
                            answer.completeExceptionally(e);
                        } else {
                            answer.complete(r);
                        }
                    });
                    // Polled over JDBC off the event loop; the session goes on on its own context.
                    return Uni.createFrom().completionStage(CompletableFuture.runAsync(() -> awaitBlockedBy(db, pid)))
                            .emitOn(task -> context.runOnContext(v -> task.run()));
                }));
            }
        }, RefreshTokenRepository.class);
        return answer;
    }

    /** The PostgreSQL backend of the current transaction. */
    private static Uni<Integer> backendPid() {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("select pg_backend_pid()", Integer.class).getSingleResult());
    }

    private static void awaitBlockedBy(DataSource db, int pid) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select count(*) from pg_stat_activity where ? = any(pg_blocking_pids(pid))")) {
            s.setInt(1, pid);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        throw new AssertionError("the revocation never waited for the held rotation");
    }
}
