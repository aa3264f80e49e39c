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

    /**
     * Issue 20 §6: addresses the old shape check let through but the mailer refuses or reads as another address. Each
     * is refused here, so start answers 400 and delivery-service's SMTP sender does not try.
     */
    @Test
    void emailsTheMailerWouldRefuseOrMisreadAreRefused() {
        for (String bad : new String[]{"a<b@example.com>", "a>b@example.com", "a,b@example.com",
                "x@example.com(y)", "(x)y@example.com", "jo..e@example.com", ".joe@example.com", "joe.@example.com",
                "\"joe\"@example.com", "jo\\e@example.com", "jo;e@example.com", "jo:e@example.com",
                "jo[e]@example.com", "joé@example.com", "joe@exämple.com", "joe@exam_ple.com", "joe@-example.com",
                "joe@example-.com", "joe@example..com", "joe@example.com.", "joe@[127.0.0.1]", "jo\u0001e@example.com",
                "x".repeat(65) + "@example.com", "joe@" + "a".repeat(64) + ".com"}) {
            assertTrue(Recipients.email(bad).isEmpty(), bad);
        }
    }

    @Test
    void everyAtextCharacterAndHyphenatedHostsAreKept() {
        assertEquals(Optional.of("o'brien+tag@mail.example.co.uk"), Recipients.email("O'Brien+tag@mail.example.co.uk"));
        assertEquals(Optional.of("a!#$%&'*+/=?^_`{|}~-z@x-1.example"),
                Recipients.email("a!#$%&'*+/=?^_`{|}~-z@x-1.example"));
        assertEquals(Optional.of("first.last@e.xample.com"), Recipients.email("first.last@e.xample.com"));
        assertEquals(Optional.of("x".repeat(64) + "@example.com"), Recipients.email("x".repeat(64) + "@example.com"));
    }
}
