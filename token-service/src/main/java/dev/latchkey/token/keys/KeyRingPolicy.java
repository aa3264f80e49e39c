package dev.latchkey.token.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.latchkey.token.store.SigningKeyEntity;

/**
 * The key ring's decisions, made on a snapshot of its published rows and nothing else (no database, no key material,
 * no clock of its own): which algorithms lack a current or a next key ({@link #missing}), whose current key has signed
 * for the rotation period ({@link #due}), which new keys a refresh has made for it ({@link #keysToMake}), and the
 * changes that make the ring whole and rotate it ({@link #refresh}, {@link #rotate}). {@link SigningKeys} reads the
 * rows, makes the keys off the event loop, and applies the changes in order under the ring lock.
 * <p>
 * A rotation makes next current and creates a new next, so a key is always in the JWKS before it signs; the key that
 * stops signing stays published until every token it signed has expired.
 */
public final class KeyRingPolicy {

    public static final List<String> ALGS = List.of(SigningKey.RS256, SigningKey.ES256);

    /** A change to the ring. Applied in order, each keeps at most one current and one next key per algorithm. */
    public sealed interface Change {

        String alg();

        /** A new key (made beforehand) enters the ring as {@code state}: current or next. */
        record Create(String alg, String state) implements Change {
        }

        /** The current key stops signing: previous, published until {@code publishedUntil}. */
        record Retire(String alg, Instant publishedUntil) implements Change {
        }

        /** The next key starts signing. */
        record Activate(String alg) implements Change {
        }
    }

    private final Optional<Duration> rotationPeriod;
    private final Duration maxTokenLifetime;

    /**
     * @param rotationPeriod how long a current key signs before it is rotated automatically; none (or zero) for never
     * @param maxTokenLifetime the longest a token lives: how long a key that stopped signing stays published
     */
    public KeyRingPolicy(Optional<Duration> rotationPeriod, Duration maxTokenLifetime) {
        this.rotationPeriod = rotationPeriod.filter(d -> !d.isZero() && !d.isNegative());
        this.maxTokenLifetime = maxTokenLifetime;
    }

    /** The algorithms that lack a current or a next key. */
    public List<String> missing(List<SigningKeyEntity> rows) {
        return ALGS.stream().filter(alg -> !has(rows, alg, SigningKeyEntity.CURRENT)
                || !has(rows, alg, SigningKeyEntity.NEXT)).toList();
    }

    /** The algorithms whose current key has signed for the rotation period or longer (none without a period). */
    public List<String> due(List<SigningKeyEntity> rows, Instant now) {
        if (rotationPeriod.isEmpty()) {
            return List.of();
        }
        return rows.stream().filter(k -> SigningKeyEntity.CURRENT.equals(k.state) && k.activatedAt != null
                && !k.activatedAt.plus(rotationPeriod.get()).isAfter(now)).map(k -> k.alg).distinct().toList();
    }

    /**
     * The algorithms of the new keys a refresh may use, one entry a key: two for an algorithm that lacks a key
     * (current and next), one per due rotation. Empty: the ring is whole and nothing is due.
     */
    public List<String> keysToMake(List<SigningKeyEntity> rows, Instant now) {
        List<String> algs = new ArrayList<>();
        missing(rows).forEach(alg -> algs.addAll(List.of(alg, alg)));
        algs.addAll(due(rows, now));
        return algs;
    }

    /**
     * What a refresh does to the ring read under the lock: fills in a missing current and next key of each algorithm,
     * then rotates the algorithms that are due. {@code made} counts the new keys per algorithm (made from an earlier
     * read): a change that would need one more is left out, as another instance did the work meanwhile.
     */
    public List<Change> refresh(List<SigningKeyEntity> rows, Map<String, Integer> made, Instant now) {
        Plan plan = new Plan(rows, made);
        plan.complete();
        due(rows, now).forEach(alg -> plan.rotate(alg, now));
        return plan.changes;
    }

    /**
     * A rotation of {@code alg} asked for now: the ring is made whole first (a first start), then next becomes
     * current, current becomes previous and a new next is made. A ring created by this very call is not rotated
     * again: its keys are new.
     */
    public List<Change> rotate(List<SigningKeyEntity> rows, Map<String, Integer> made, String alg, Instant now) {
        Plan plan = new Plan(rows, made);
        plan.complete();
        plan.rotate(alg, now);
        return plan.changes;
    }

    private static boolean has(List<SigningKeyEntity> rows, String alg, String state) {
        return rows.stream().anyMatch(k -> alg.equals(k.alg) && state.equals(k.state));
    }

    /** The changes so far, with where each algorithm stands after them and how many new keys are left. */
    private final class Plan {

        private final List<Change> changes = new ArrayList<>();
        private final Map<String, Integer> left;
        private final Map<String, Boolean> current = new HashMap<>();
        private final Map<String, Boolean> next = new HashMap<>();

        Plan(List<SigningKeyEntity> rows, Map<String, Integer> made) {
            left = new HashMap<>(made);
            for (String alg : ALGS) {
                current.put(alg, has(rows, alg, SigningKeyEntity.CURRENT));
                next.put(alg, has(rows, alg, SigningKeyEntity.NEXT));
            }
        }

        void complete() {
            for (String alg : ALGS) {
                if (!current.get(alg) && take(alg)) {
                    changes.add(new Change.Create(alg, SigningKeyEntity.CURRENT));
                    current.put(alg, true);
                }
                if (!next.get(alg) && take(alg)) {
                    changes.add(new Change.Create(alg, SigningKeyEntity.NEXT));
                    next.put(alg, true);
                }
            }
        }

        void rotate(String alg, Instant now) {
            if (!take(alg)) {
                return; // no key left: the ring was created in this transaction, or by another instance meanwhile
            }
            boolean hadNext = next.get(alg);
            if (current.get(alg)) {
                changes.add(new Change.Retire(alg, now.plus(maxTokenLifetime)));
            }
            if (hadNext) {
                changes.add(new Change.Activate(alg));
            }
            current.put(alg, hadNext);
            changes.add(new Change.Create(alg, SigningKeyEntity.NEXT));
            next.put(alg, true);
        }

        private boolean take(String alg) {
            int n = left.getOrDefault(alg, 0);
            if (n == 0) {
                return false;
            }
            left.put(alg, n - 1);
            return true;
        }
    }
}
