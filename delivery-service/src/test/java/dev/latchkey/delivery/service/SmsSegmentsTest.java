package dev.latchkey.delivery.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SmsSegmentsTest {

    @Test
    void theDefaultBodyFitsOneGsmSegment() {
        String body = "Your verification code is: 123456";
        assertTrue(SmsSegments.isGsm7(body));
        assertEquals(1, SmsSegments.count(body));
    }

    @Test
    void gsm7SplitsAfter160Septets() {
        assertEquals(1, SmsSegments.count("a".repeat(160)));
        assertEquals(2, SmsSegments.count("a".repeat(161)));
        assertEquals(2, SmsSegments.count("a".repeat(306)));
        assertEquals(3, SmsSegments.count("a".repeat(307)));
    }

    @Test
    void extensionCharactersTakeTwoSeptets() {
        // 80 euro signs are 160 septets; one more character spills over.
        assertEquals(1, SmsSegments.count("€".repeat(80)));
        assertEquals(2, SmsSegments.count("€".repeat(80) + "a"));
        assertTrue(SmsSegments.isGsm7("{code} [x] ~ ^ | \\"));
    }

    @Test
    void anythingOutsideGsm7IsUcs2() {
        String body = "Votre code : 123456 ✓";
        assertFalse(SmsSegments.isGsm7(body));
        assertEquals(1, SmsSegments.count("ç".repeat(70)));
        assertEquals(2, SmsSegments.count("ç".repeat(71)));
        assertEquals(2, SmsSegments.count("ç".repeat(134)));
        assertEquals(3, SmsSegments.count("ç".repeat(135)));
    }

    @Test
    void accentedLettersOfTheGsmAlphabetStayGsm7() {
        assertTrue(SmsSegments.isGsm7("Votre code est: 123456. Déjà reçu? à bientôt"
                .replace("ç", "Ç").replace("ô", "o")));
        assertFalse(SmsSegments.isGsm7("reçu"));
    }
}
