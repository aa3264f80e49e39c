package dev.latchkey.admin.store;

import jakarta.persistence.OptimisticLockException;

import org.hibernate.StaleStateException;

import io.vertx.pgclient.PgException;

/** Recognises the database refusals a caller can act on, whatever Hibernate wraps them in. */
public final class PersistenceFailures {

    private PersistenceFailures() {
    }

    /** A unique or primary key already taken (SQLSTATE 23505). */
    public static boolean duplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException c
                    && "23505".equals(c.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Someone else changed or deleted the row since it was read. */
    public static boolean concurrentChange(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }
}
