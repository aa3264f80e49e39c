package dev.latchkey.delivery.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void delaysDoubleWithJitterBetweenHalfAndFull() {
        for (int i = 0; i < 200; i++) {
            long first = backoff.after(1).toMillis();
            long third = backoff.after(3).toMillis();
            assertTrue(first >= 500 && first <= 1000, "after 1: " + first);
            assertTrue(third >= 2000 && third <= 4000, "after 3: " + third);
        }
    }

    @Test
    void delaysStopAtTheMaximum() {
        for (int i = 0; i < 200; i++) {
            long late = backoff.after(40).toMillis();
            assertTrue(late >= 15000 && late <= 30000, "after 40: " + late);
        }
    }

    @Test
    void jitterSpreadsRetries() {
        long distinct = java.util.stream.IntStream.range(0, 50).mapToLong(i -> backoff.after(5).toMillis())
                .distinct().count();
        assertTrue(distinct > 10, "distinct delays: " + distinct);
    }
}
