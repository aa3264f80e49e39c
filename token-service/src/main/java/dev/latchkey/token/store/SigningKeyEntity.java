package dev.latchkey.token.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A signing key (table {@code signing_keys}); the private part only sealed with the platform key. */
@Entity
@Table(name = "signing_keys")
public class SigningKeyEntity {

    public static final String NEXT = "next";
    public static final String CURRENT = "current";
    public static final String PREVIOUS = "previous";
    public static final String RETIRED = "retired";

    @Id
    public String kid;

    /** The platform key this key is sealed under (a fingerprint of it). */
    public String ring;

    public String alg;

    public String state;

    /** X.509 SubjectPublicKeyInfo, base64. */
    @Column(name = "public_key")
    public String publicKey;

    /** PKCS#8, sealed with {@link dev.latchkey.common.crypto.PlatformCipher} under {@code signing-key:<kid>}. */
    @Column(name = "private_key_enc")
    public String privateKeyEnc;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "activated_at")
    public Instant activatedAt;

    @Column(name = "retired_at")
    public Instant retiredAt;

    @Column(name = "expires_at")
    public Instant expiresAt;
}
