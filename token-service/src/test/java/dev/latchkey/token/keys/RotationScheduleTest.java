package dev.latchkey.token.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.latchkey.token.store.SigningKeyEntity;

/** When automatic rotation is due (the rotation itself is exercised against PostgreSQL in KeyRotationTest). */
class RotationScheduleTest {

    private static SigningKeyEntity key(String alg, String state, Instant activated) {
        SigningKeyEntity e = new SigningKeyEntity();
        e.alg = alg;
        e.state = state;
        e.activatedAt = activated;
        return e;
    }

    @Test
    void aCurrentKeyIsDueAtItsRotationPeriod() {
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        List<SigningKeyEntity> ring = List.of(
                key("RS256", SigningKeyEntity.CURRENT, now.minus(Duration.ofDays(90))),
                key("RS256", SigningKeyEntity.NEXT, null),
                key("ES256", SigningKeyEntity.CURRENT, now.minus(Duration.ofDays(89))),
                key("ES256", SigningKeyEntity.PREVIOUS, now.minus(Duration.ofDays(400))));
        assertEquals(List.of("RS256"), SigningKeys.due(ring, now, Optional.of(Duration.ofDays(90))));
        assertEquals(List.of("RS256", "ES256"), SigningKeys.due(ring, now, Optional.of(Duration.ofDays(30))));
        assertEquals(List.of(), SigningKeys.due(ring, now, Optional.empty()));
        assertEquals(List.of(), SigningKeys.due(ring, now, Optional.of(Duration.ZERO)));
    }
}
