package dev.latchkey.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.latchkey.common.kafka.TopicTail.Start;

/** Where a tail starts reading and when it has caught up, without Kafka. */
class TopicTailTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void fromTheBeginningIsTheFirstOffsetStillOnThePartition() {
        assertEquals(0, TopicTail.startOffset(Start.BEGINNING, 0, 500));
        assertEquals(120, TopicTail.startOffset(Start.BEGINNING, 120, 500), "compaction or retention removed 0-119");
        assertEquals(7, TopicTail.startOffset(Start.BEGINNING, 7, 7), "an empty partition");
    }

    @Test
    void theLastRecordsAreTheLastNOrTheWholePartitionWhenItHoldsFewer() {
        assertEquals(450, TopicTail.startOffset(Start.last(50), 0, 500));
        assertEquals(100, TopicTail.startOffset(Start.last(50), 100, 130), "30 records: all of them");
        assertEquals(100, TopicTail.startOffset(Start.last(30), 100, 130), "exactly 30");
        assertEquals(130, TopicTail.startOffset(Start.last(0), 100, 130), "none: only what comes next");
        assertThrows(IllegalArgumentException.class, () -> Start.last(-1));
    }

    @Test
    void caughtUpWhenEveryPartitionReachedTheEndItHadAtTheStart() {
        Map<TopicPartition, Long> ends = Map.of(P0, 10L, P1, 0L);
        assertFalse(TopicTail.reached(ends, tp -> tp.equals(P0) ? 9 : 0), "one record of p0 still to read");
        assertTrue(TopicTail.reached(ends, tp -> tp.equals(P0) ? 10 : 0));
        assertTrue(TopicTail.reached(ends, tp -> tp.equals(P0) ? 15 : 3), "records written since count too");
        assertTrue(TopicTail.reached(Map.of(), tp -> 0), "a topic with nothing on it is caught up at once");
    }
}
