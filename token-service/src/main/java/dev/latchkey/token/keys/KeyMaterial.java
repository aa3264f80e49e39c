package dev.latchkey.token.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.crypto.PlatformCipher;
import dev.latchkey.common.crypto.PlatformKeys;
import dev.latchkey.token.config.TokenConfig;
import dev.latchkey.token.store.SigningKeyEntity;

/**
 * The key material of the ring: new RSA and EC P-256 key pairs, their rows (the private part sealed with the platform
 * key under {@code signing-key:<kid>}), and the keys read back from a row.
 */
@ApplicationScoped
public class KeyMaterial {

    private final PlatformCipher cipher;
    private final TokenConfig config;
    private final SecureRandom random = new SecureRandom();
    private final String ringId;

    public KeyMaterial(PlatformCipher cipher, PlatformKeys platformKeys, TokenConfig config) {
        this.cipher = cipher;
        this.config = config;
        this.ringId = fingerprint(platformKeys);
    }

    /** A key pair made for the ring, not stored yet. */
    public record NewKey(String kid, String alg, KeyPair pair) {
    }

    /**
     * The ring's name: the platform key's fingerprint (HMAC of a fixed label: reveals nothing of the key). Instances
     * sharing a platform key share a ring; a process with another key (dev and test runs get a random one) has its
     * own.
     */
    public String ringId() {
        return ringId;
    }

    static String fingerprint(PlatformKeys keys) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(keys.otpHmacKey());
            byte[] out = mac.doFinal("latchkey/signing-key-ring/v1".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(out, 0, 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new key pair (CPU-heavy for RSA: call it off the event loop) with a random {@code kid}. */
    public NewKey generate(String alg) {
        try {
            KeyPairGenerator g;
            if (SigningKey.RS256.equals(alg)) {
                g = KeyPairGenerator.getInstance("RSA");
                g.initialize(config.keys().rsaBits(), random);
            } else {
                g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"), random);
            }
            byte[] id = new byte[12];
            random.nextBytes(id);
            return new NewKey(Base64.getUrlEncoder().withoutPadding().encodeToString(id), alg, g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an " + alg + " key", e);
        }
    }

    /** The row of a new key entering the ring as {@code state}, its private part sealed. */
    public SigningKeyEntity entity(NewKey k, String state, Instant now) {
        SigningKeyEntity e = new SigningKeyEntity();
        e.kid = k.kid();
        e.ring = ringId;
        e.alg = k.alg();
        e.state = state;
        e.publicKey = Base64.getEncoder().encodeToString(k.pair().getPublic().getEncoded());
        e.privateKeyEnc = cipher.encrypt(Base64.getEncoder().encodeToString(k.pair().getPrivate().getEncoded()),
                context(k.kid()));
        e.createdAt = now;
        e.activatedAt = SigningKeyEntity.CURRENT.equals(state) ? now : null;
        return e;
    }

    public PublicKey publicKey(SigningKeyEntity e) throws GeneralSecurityException {
        return factory(e.alg).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(e.publicKey)));
    }

    /** Unseals the private part; fails for a key sealed with another platform key (or damaged). */
    public PrivateKey privateKey(SigningKeyEntity e) throws GeneralSecurityException {
        String pkcs8 = cipher.decrypt(e.privateKeyEnc, context(e.kid));
        return factory(e.alg).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8)));
    }

    private static KeyFactory factory(String alg) throws GeneralSecurityException {
        return KeyFactory.getInstance(SigningKey.RS256.equals(alg) ? "RSA" : "EC");
    }

    private static String context(String kid) {
        return "signing-key:" + kid;
    }
}
