package dev.latchkey.common.otp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

import dev.latchkey.common.crypto.PlatformKeys;

class OtpHmacTest {

    private final OtpHmac hmac = new OtpHmac(new PlatformKeys(new SecureRandom().generateSeed(32)));

    @Test
    void bindsCodeToClientConnectionAndRecipient() {
        String h = hmac.of("123456", "app-a", "sms", "+14155552671");
        assertEquals(h, hmac.of("123456", "app-a", "sms", "+14155552671"));
        assertFalse(h.contains("123456"));
        assertNotEquals(h, hmac.of("123456", "app-b", "sms", "+14155552671"));
        assertNotEquals(h, hmac.of("123456", "app-a", "email", "+14155552671"));
        assertNotEquals(h, hmac.of("123456", "app-a", "sms", "+14155552672"));
        assertNotEquals(h, hmac.of("123457", "app-a", "sms", "+14155552671"));
        assertTrue(OtpHmac.same(h, hmac.of("123456", "app-a", "sms", "+14155552671")));
        assertFalse(OtpHmac.same(h, null));
    }

    @Test
    void keysOfOneRecipientShareAHashTag() {
        String tag = OtpState.tag("sms", "+14155552671");
        assertTrue(OtpState.codeKey("sms", "+14155552671").contains(tag));
        assertTrue(OtpState.failsKey("sms", "+14155552671").contains(tag));
        assertTrue(OtpState.lockKey("sms", "+14155552671").contains(tag));
    }
}
