package dev.latchkey.common.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

class PlatformCipherTest {

    private static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    private final byte[] master = randomKey();
    private final PlatformCipher cipher = new PlatformCipher(new PlatformKeys(master));

    @Test
    void roundTripsAndNeverShowsThePlaintext() {
        String sealed = cipher.encrypt("123456", "event:abc");
        assertFalse(sealed.contains("123456"));
        assertEquals("123456", cipher.decrypt(sealed, "event:abc"));
        assertNotEquals(sealed, cipher.encrypt("123456", "event:abc"), "a fresh nonce every time");
    }

    @Test
    void refusesAnotherContextAnotherKeyOrATamperedValue() {
        String sealed = cipher.encrypt("123456", "event:abc");
        assertThrows(PlatformCipher.DecryptionException.class, () -> cipher.decrypt(sealed, "event:other"));
        PlatformCipher other = new PlatformCipher(new PlatformKeys(randomKey()));
        assertThrows(PlatformCipher.DecryptionException.class, () -> other.decrypt(sealed, "event:abc"));
        char last = sealed.charAt(sealed.length() - 2);
        String tampered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A')
                + sealed.charAt(sealed.length() - 1);
        assertThrows(PlatformCipher.DecryptionException.class, () -> cipher.decrypt(tampered, "event:abc"));
        assertThrows(PlatformCipher.DecryptionException.class, () -> cipher.decrypt("123456", "event:abc"));
    }

    @Test
    void productionRefusesToStartWithoutAKey() {
        var e = assertThrows(IllegalStateException.class,
                () -> PlatformKeys.master(null, io.quarkus.runtime.LaunchMode.NORMAL));
        assertEquals(true, e.getMessage().startsWith("LATCHKEY_SECRET_KEY is not set"));
        assertThrows(IllegalStateException.class,
                () -> PlatformKeys.master("c2hvcnQ=", io.quarkus.runtime.LaunchMode.NORMAL));
        assertEquals(32, PlatformKeys.master(null, io.quarkus.runtime.LaunchMode.TEST).length);
    }
}
