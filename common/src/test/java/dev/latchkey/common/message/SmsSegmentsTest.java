package dev.latchkey.common.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Segment counting as carriers split messages (the cases of both former copies, and the splits they got wrong). */
class SmsSegmentsTest {

    @Test
    void gsm7UpTo160ThenBy153() {
        assertEquals(1, SmsSegments.count("Your verification code is: 123456"));
        assertTrue(SmsSegments.isGsm7("Your verification code is: 123456"));
        assertEquals(1, SmsSegments.count("a".repeat(160)));
        assertEquals(2, SmsSegments.count("a".repeat(161)));
        assertEquals(2, SmsSegments.count("a".repeat(306)));
        assertEquals(3, SmsSegments.count("a".repeat(307)));
        assertEquals(1, SmsSegments.count(""));
    }

    @Test
    void extensionCharactersTakeTwoSeptetsAndAreNotSplit() {
        assertEquals(1, SmsSegments.count("€".repeat(80)));
        assertEquals(2, SmsSegments.count("€".repeat(80) + "a"));
        assertEquals(2, SmsSegments.count("€".repeat(81)));
        assertTrue(SmsSegments.isGsm7("{code} [x] ~ ^ | \\"));
        // 152 septets, then an escape pair that would straddle the boundary: it opens the second segment, and
        // 153 more single septets need a third (a count of septets alone says 2).
        assertEquals(3, SmsSegments.count("a".repeat(152) + "€" + "a".repeat(152)));
    }

    @Test
    void ucs2UpTo70ThenBy67() {
        assertFalse(SmsSegments.isGsm7("Код 123456"));
        assertEquals(1, SmsSegments.count("Код 123456"));
        assertEquals(2, SmsSegments.count("Код".repeat(24)));
        assertEquals(1, SmsSegments.count("ç".repeat(70)));
        assertEquals(2, SmsSegments.count("ç".repeat(71)));
        assertEquals(2, SmsSegments.count("ç".repeat(134)));
        assertEquals(3, SmsSegments.count("ç".repeat(135)));
        // An emoji is two UTF-16 units that stay together: 66 + 2 does not fit in 67.
        assertEquals(3, SmsSegments.count("ç".repeat(66) + "😀" + "ç".repeat(66)));
    }

    @Test
    void accentedLettersOfTheGsmTableStayGsm7() {
        assertTrue(SmsSegments.isGsm7("Votre code est: 123456. Déjà reçu? à bientôt"
                .replace("ç", "Ç").replace("ô", "o")));
        assertTrue(SmsSegments.isGsm7("Votre code est : 123456 é"));
        assertFalse(SmsSegments.isGsm7("reçu"));
    }
}
