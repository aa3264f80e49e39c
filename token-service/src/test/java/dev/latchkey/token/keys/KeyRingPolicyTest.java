package dev.latchkey.token.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.latchkey.token.keys.KeyRingPolicy.Change;
import dev.latchkey.token.keys.KeyRingPolicy.Change.Activate;
import dev.latchkey.token.keys.KeyRingPolicy.Change.Create;
import dev.latchkey.token.keys.KeyRingPolicy.Change.Retire;
import dev.latchkey.token.store.SigningKeyEntity;

/**
 * The key ring's decisions, without servers or key material: when a key is missing or due, and what making the ring
 * whole and rotating it changes, in which order (applying them to PostgreSQL is exercised in KeyRotationTest).
 */
class KeyRingPolicyTest {

    private static final String RS = SigningKey.RS256;
    private static final String ES = SigningKey.ES256;
    private static final String CURRENT = SigningKeyEntity.CURRENT;
    private static final String NEXT = SigningKeyEntity.NEXT;
    private static final String PREVIOUS = SigningKeyEntity.PREVIOUS;
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Duration LIFETIME = Duration.ofHours(24);
    private static final KeyRingPolicy EVERY_90_DAYS = policy(Optional.of(Duration.ofDays(90)));

    private static SigningKeyEntity key(String alg, String state, Instant activated) {
        SigningKeyEntity e = new SigningKeyEntity();
        e.alg = alg;
        e.state = state;
        e.activatedAt = activated;
        return e;
    }

    private static KeyRingPolicy policy(Optional<Duration> rotationPeriod) {
        return new KeyRingPolicy(rotationPeriod, LIFETIME);
    }

    /** A whole ring whose RS256 key has signed for {@code rsAge}, and the ES256 one for a day. */
    private static List<SigningKeyEntity> whole(Duration rsAge) {
        return List.of(key(RS, CURRENT, NOW.minus(rsAge)), key(RS, NEXT, null),
                key(ES, CURRENT, NOW.minus(Duration.ofDays(1))), key(ES, NEXT, null));
    }

    /**
     * Applies the changes to a count of keys per algorithm and state, as the database would, checking after each what
     * the ring's unique indexes ask (at most one current and one next key per algorithm) and that a retirement or an
     * activation finds its key.
     */
    private static Map<String, Map<String, Integer>> apply(List<SigningKeyEntity> rows, List<Change> changes) {
        Map<String, Map<String, Integer>> ring = new HashMap<>();
        rows.forEach(k -> ring.computeIfAbsent(k.alg, a -> new HashMap<>()).merge(k.state, 1, Integer::sum));
        for (Change change : changes) {
            Map<String, Integer> alg = ring.computeIfAbsent(change.alg(), a -> new HashMap<>());
            switch (change) {
                case Create c -> alg.merge(c.state(), 1, Integer::sum);
                case Retire r -> {
                    assertEquals(1, alg.getOrDefault(CURRENT, 0), "retired without a current key: " + changes);
                    alg.merge(CURRENT, -1, Integer::sum);
                    alg.merge(PREVIOUS, 1, Integer::sum);
                }
                case Activate a -> {
                    assertEquals(1, alg.getOrDefault(NEXT, 0), "activated without a next key: " + changes);
                    alg.merge(NEXT, -1, Integer::sum);
                    alg.merge(CURRENT, 1, Integer::sum);
                }
            }
            assertTrue(alg.getOrDefault(CURRENT, 0) <= 1 && alg.getOrDefault(NEXT, 0) <= 1,
                    "two current or next keys after " + change + " of " + changes);
        }
        return ring;
    }

    private static Map<String, Integer> made(Object... algAndCount) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < algAndCount.length; i += 2) {
            m.put((String) algAndCount[i], (Integer) algAndCount[i + 1]);
        }
        return m;
    }

    @Test
    void aCurrentKeyIsDueAtItsRotationPeriod() {
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        List<SigningKeyEntity> ring = List.of(
                key("RS256", SigningKeyEntity.CURRENT, now.minus(Duration.ofDays(90))),
                key("RS256", SigningKeyEntity.NEXT, null),
                key("ES256", SigningKeyEntity.CURRENT, now.minus(Duration.ofDays(89))),
                key("ES256", SigningKeyEntity.PREVIOUS, now.minus(Duration.ofDays(400))));
        assertEquals(List.of("RS256"), policy(Optional.of(Duration.ofDays(90))).due(ring, now));
        assertEquals(List.of("RS256", "ES256"), policy(Optional.of(Duration.ofDays(30))).due(ring, now));
        assertEquals(List.of(), policy(Optional.empty()).due(ring, now));
        assertEquals(List.of(), policy(Optional.of(Duration.ZERO)).due(ring, now));
    }

    @Test
    void anEmptyRingGetsACurrentAndANextKeyOfEachAlgorithm() {
        assertEquals(List.of(RS, ES), EVERY_90_DAYS.missing(List.of()));
        assertEquals(List.of(RS, RS, ES, ES), EVERY_90_DAYS.keysToMake(List.of(), NOW));
        List<Change> changes = EVERY_90_DAYS.refresh(List.of(), made(RS, 2, ES, 2), NOW);
        assertEquals(List.of(new Create(RS, CURRENT), new Create(RS, NEXT), new Create(ES, CURRENT),
                new Create(ES, NEXT)), changes);
        assertEquals(Map.of(RS, Map.of(CURRENT, 1, NEXT, 1), ES, Map.of(CURRENT, 1, NEXT, 1)),
                apply(List.of(), changes));
    }

    @Test
    void aWholeRingWithNothingDueIsLeftAlone() {
        List<SigningKeyEntity> ring = whole(Duration.ofDays(89));
        assertEquals(List.of(), EVERY_90_DAYS.missing(ring));
        assertEquals(List.of(), EVERY_90_DAYS.keysToMake(ring, NOW));
        assertEquals(List.of(), EVERY_90_DAYS.refresh(ring, Map.of(), NOW));
        // Without a rotation period a key signs for ever.
        assertEquals(List.of(), policy(Optional.empty()).keysToMake(whole(Duration.ofDays(4000)), NOW));
    }

    @Test
    void aMissingNextKeyIsMadeWhileTheCurrentKeyGoesOnSigning() {
        List<SigningKeyEntity> ring = List.of(key(RS, CURRENT, NOW.minus(Duration.ofDays(3))),
                key(ES, CURRENT, NOW.minus(Duration.ofDays(3))), key(ES, NEXT, null));
        assertEquals(List.of(RS), EVERY_90_DAYS.missing(ring));
        assertEquals(List.of(RS, RS), EVERY_90_DAYS.keysToMake(ring, NOW));
        assertEquals(List.of(new Create(RS, NEXT)), EVERY_90_DAYS.refresh(ring, made(RS, 2), NOW));
    }

    @Test
    void aDueKeyStopsSigningForTheNextOneAlreadyPublishedAndStaysPublishedForTheLongestTokenLifetime() {
        List<SigningKeyEntity> ring = whole(Duration.ofDays(90));
        assertEquals(List.of(RS), EVERY_90_DAYS.keysToMake(ring, NOW));
        List<Change> changes = EVERY_90_DAYS.refresh(ring, made(RS, 1), NOW);
        assertEquals(List.of(new Retire(RS, NOW.plus(LIFETIME)), new Activate(RS), new Create(RS, NEXT)), changes);
        assertEquals(Map.of(CURRENT, 1, NEXT, 1, PREVIOUS, 1), apply(ring, changes).get(RS));
    }

    @Test
    void aDueKeyWithoutANextOneGetsItFirstThenRotates() {
        List<SigningKeyEntity> ring = List.of(key(RS, CURRENT, NOW.minus(Duration.ofDays(100))),
                key(ES, CURRENT, NOW.minus(Duration.ofDays(1))), key(ES, NEXT, null));
        assertEquals(List.of(RS, RS, RS), EVERY_90_DAYS.keysToMake(ring, NOW));
        List<Change> changes = EVERY_90_DAYS.refresh(ring, made(RS, 3), NOW);
        assertEquals(List.of(new Create(RS, NEXT), new Retire(RS, NOW.plus(LIFETIME)), new Activate(RS),
                new Create(RS, NEXT)), changes);
        assertEquals(Map.of(CURRENT, 1, NEXT, 1, PREVIOUS, 1), apply(ring, changes).get(RS));
    }

    @Test
    void whatAnotherInstanceDidMeanwhileIsNotDoneAgain() {
        // Keys made for an empty ring; under the lock the ring is whole and fresh.
        assertEquals(List.of(), EVERY_90_DAYS.refresh(whole(Duration.ZERO), made(RS, 2, ES, 2), NOW));
        // Keys made for a rotation that another instance did first: its new current key is not due.
        assertEquals(List.of(), EVERY_90_DAYS.refresh(whole(Duration.ofMinutes(1)), made(RS, 1), NOW));
        // Fewer keys than the locked ring needs: what they allow, the rest at the next refresh.
        List<Change> changes = EVERY_90_DAYS.refresh(List.of(), made(RS, 1), NOW);
        assertEquals(List.of(new Create(RS, CURRENT)), changes);
        apply(List.of(), changes);
    }

    @Test
    void aRotationAskedForRotatesThatAlgorithmOnly() {
        List<SigningKeyEntity> ring = whole(Duration.ofDays(200)); // RS256 is due, but not asked for
        List<Change> changes = EVERY_90_DAYS.rotate(ring, made(ES, 2), ES, NOW);
        assertEquals(List.of(new Retire(ES, NOW.plus(LIFETIME)), new Activate(ES), new Create(ES, NEXT)), changes);
        apply(ring, changes);
    }

    @Test
    void aRotationOfAnEmptyRingCreatesItWithoutRotatingTheNewKeys() {
        List<Change> changes = EVERY_90_DAYS.rotate(List.of(), made(RS, 2), RS, NOW);
        assertEquals(List.of(new Create(RS, CURRENT), new Create(RS, NEXT)), changes);
        assertEquals(Map.of(RS, Map.of(CURRENT, 1, NEXT, 1)), apply(List.of(), changes));
        // With a key to spare, the ring is completed, then rotated once.
        List<Change> more = EVERY_90_DAYS.rotate(List.of(), made(RS, 3), RS, NOW);
        assertEquals(List.of(new Create(RS, CURRENT), new Create(RS, NEXT), new Retire(RS, NOW.plus(LIFETIME)),
                new Activate(RS), new Create(RS, NEXT)), more);
        apply(List.of(), more);
    }
}
