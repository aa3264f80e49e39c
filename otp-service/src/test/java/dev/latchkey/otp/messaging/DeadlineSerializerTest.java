package dev.latchkey.otp.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** A record gets into the producer only while Kafka's verdict on it can still reach its start. */
class DeadlineSerializerTest {

    private static final byte[] VALUE = "{}".getBytes(StandardCharsets.UTF_8);

    private static DeadlineSerializer serializer() {
        DeadlineSerializer s = new DeadlineSerializer();
        s.configure(Map.of("delivery.timeout.ms", "4000"), false);
        return s;
    }

    private static RecordHeaders sendBy(long epochMs) {
        RecordHeaders h = new RecordHeaders();
        h.add(DeadlineSerializer.SEND_BY_HEADER, DeadlineSerializer.sendBy(epochMs));
        return h;
    }

    @Test
    void aRecordWhoseVerdictCanStillReachItsStartIsLetIn() {
        assertArrayEquals(VALUE, serializer().serialize("t", sendBy(System.currentTimeMillis() + 6000), VALUE));
        assertArrayEquals(VALUE, serializer().serialize("t", new RecordHeaders(), VALUE), "no deadline: as before");
    }

    @Test
    void aRecordWhoseVerdictCouldComeAfterItsStartGaveUpIsRefused() {
        // 6 s wait, 4 s delivery timeout: 2.5 s after the start, a verdict could come at 6.5 s.
        assertThrows(SerializationException.class,
                () -> serializer().serialize("t", sendBy(System.currentTimeMillis() + 3500), VALUE));
        assertThrows(SerializationException.class,
                () -> serializer().serialize("t", sendBy(System.currentTimeMillis() - 1), VALUE));
    }
}
