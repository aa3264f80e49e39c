package dev.latchkey.common.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * AES-256-GCM under the platform key, for codes in delivery events and provider secrets in config. The output is
 * {@code v1.<base64url(12-byte nonce | ciphertext | tag)>}. The context (associated data) binds a ciphertext to its
 * place, e.g. the event id or {@code connection:sms:twilio_auth_token}, so one cannot be moved to another.
 */
@ApplicationScoped
public class PlatformCipher {

    private static final String PREFIX = "v1.";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final PlatformKeys keys;
    private final SecureRandom random = new SecureRandom();

    public PlatformCipher(PlatformKeys keys) {
        this.keys = keys;
    }

    public String encrypt(String plaintext, String context) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.encryptionKey(), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** @throws DecryptionException when the value was not made by {@link #encrypt} with this key and context */
    public String decrypt(String sealed, String context) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new DecryptionException("not a v1 ciphertext");
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(sealed.substring(PREFIX.length()));
            if (in.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new DecryptionException("ciphertext too short");
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, keys.encryptionKey(), new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new DecryptionException("ciphertext does not open with the platform key and context");
        }
    }

    /** A ciphertext that is malformed, or made with another key or context. Carries no secret. */
    public static class DecryptionException extends RuntimeException {

        public DecryptionException(String message) {
            super(message);
        }
    }
}
