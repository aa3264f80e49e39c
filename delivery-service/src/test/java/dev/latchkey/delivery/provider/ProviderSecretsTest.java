package dev.latchkey.delivery.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.latchkey.common.crypto.PlatformCipher;
import dev.latchkey.common.crypto.PlatformKeys;

/** Opened provider secrets are cached, for a while only; without a server. */
class ProviderSecretsTest {

    private final AtomicInteger decrypts = new AtomicInteger();
    private final PlatformCipher cipher = new PlatformCipher(new PlatformKeys(new byte[32])) {

        @Override
        public String decrypt(String sealed, String context) {
            decrypts.incrementAndGet();
            return super.decrypt(sealed, context);
        }
    };
    private Instant now = Instant.parse("2026-12-01T00:00:00Z");
    private final Clock clock = new Clock() {

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };

    private Step step(String sealed) {
        return new Step("c", 0, "twilio", Map.of(), Map.of("token", new Step.Sealed(sealed, "ctx")), null, null);
    }

    @Test
    void aSecretIsOpenedOnceThenAgainOnlyAfterItsTimeIsUp() {
        ProviderSecrets secrets = new ProviderSecrets(cipher, clock);
        Step step = step(cipher.encrypt("s3cret", "ctx"));
        assertEquals("s3cret", secrets.open(step, "token", "the token"));
        assertEquals("s3cret", secrets.open(step, "token", "the token"));
        assertEquals(1, decrypts.get(), "the second use is served from the cache");
        now = now.plus(ProviderSecrets.KEPT_FOR).minusSeconds(1);
        secrets.open(step, "token", "the token");
        assertEquals(1, decrypts.get());
        now = now.plus(Duration.ofSeconds(2));
        assertEquals("s3cret", secrets.open(step, "token", "the token"));
        assertEquals(2, decrypts.get(), "past its time the plaintext is not kept: the secret is opened again");
    }

    @Test
    void aSecretThatDoesNotOpenIsAPermanentFailureAndIsNotCached() {
        ProviderSecrets secrets = new ProviderSecrets(cipher, clock);
        Step step = step(cipher.encrypt("s3cret", "another context"));
        ProviderException e = assertThrows(ProviderException.class, () -> secrets.open(step, "token", "the token"));
        assertFalse(e.isTransient());
        assertEquals("the token of connection c does not open with the platform key", e.getMessage());
        assertThrows(ProviderException.class, () -> secrets.open(step, "token", "the token"));
        assertEquals(2, decrypts.get());
        assertNull(secrets.open(step, "absent", "nothing"));
    }
}
