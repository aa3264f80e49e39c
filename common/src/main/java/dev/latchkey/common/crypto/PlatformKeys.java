package dev.latchkey.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;

/**
 * Keys derived from the one platform secret. Each use gets its own subkey (HMAC-SHA256 of the secret with a fixed
 * label, HKDF-expand style), so the AES-GCM key never doubles as the OTP HMAC key.
 */
@Startup // a production service without a valid key must not start, rather than fail on its first request
@ApplicationScoped
public class PlatformKeys {

    private static final Logger LOG = Logger.getLogger(PlatformKeys.class);

    private final SecretKeySpec encryptionKey;
    private final SecretKeySpec otpHmacKey;

    @Inject
    public PlatformKeys(PlatformKeyConfig config) {
        this(master(config.secretKey().orElse(null), LaunchMode.current()));
    }

    /** For tests and tools that hold the secret themselves. */
    public PlatformKeys(byte[] master) {
        this.encryptionKey = new SecretKeySpec(derive(master, "latchkey/aes-gcm/v1"), "AES");
        this.otpHmacKey = new SecretKeySpec(derive(master, "latchkey/otp-hmac/v1"), "HmacSHA256");
    }

    public SecretKeySpec encryptionKey() {
        return encryptionKey;
    }

    public SecretKeySpec otpHmacKey() {
        return otpHmacKey;
    }

    static byte[] master(String configured, LaunchMode mode) {
        if (configured == null || configured.isBlank()) {
            if (mode == LaunchMode.NORMAL) {
                throw new IllegalStateException(
                        "LATCHKEY_SECRET_KEY is not set: give every service the same base64 32-byte key "
                                + "(openssl rand -base64 32)");
            }
            LOG.warn("LATCHKEY_SECRET_KEY is not set: using a random platform key for this " + mode.name()
                    .toLowerCase(Locale.ROOT) + " process only");
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return random;
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(configured.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("LATCHKEY_SECRET_KEY is not valid base64");
        }
        if (key.length < 32) {
            throw new IllegalStateException("LATCHKEY_SECRET_KEY must be at least 32 bytes, it is " + key.length);
        }
        return key;
    }

    private static byte[] derive(byte[] master, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
