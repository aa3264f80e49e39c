package dev.latchkey.common.recipient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class RecipientsTest {

    @Test
    void phonesAreE164() {
        assertEquals(Optional.of("+14155552671"), Recipients.phone("+1 (415) 555-2671"));
        assertEquals(Optional.of("+447911123456"), Recipients.phone("+44 7911 123456"));
        assertTrue(Recipients.phone("4155552671").isEmpty(), "no country code");
        assertTrue(Recipients.phone("+1555").isEmpty(), "too short");
        assertTrue(Recipients.phone("+1 415 555 2671 ext").isEmpty());
        assertTrue(Recipients.phone(null).isEmpty());
    }

    @Test
    void emailsAreTrimmedAndLowerCased() {
        assertEquals(Optional.of("john.doe@example.com"), Recipients.email("  John.Doe@Example.COM "));
        assertTrue(Recipients.email("john").isEmpty());
        assertTrue(Recipients.email("john@localhost").isEmpty());
        assertTrue(Recipients.email("a@b@c.com").isEmpty());
        assertTrue(Recipients.email("a b@c.com").isEmpty());
    }
}
