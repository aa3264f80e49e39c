package dev.latchkey.token.keys;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One key of the ring, as loaded. {@code privateKey} is present only for the key that signs ({@code current}).
 */
public record SigningKey(String kid, String alg, String state, PublicKey publicKey, PrivateKey privateKey,
        Instant createdAt, Instant activatedAt, Instant retiredAt, Instant expiresAt) {

    public static final String RS256 = "RS256";
    public static final String ES256 = "ES256";

    /** The public JWK, as served in the JWKS (RFC 7517/7518). */
    public Map<String, Object> jwk() {
        Map<String, Object> jwk = new LinkedHashMap<>();
        if (publicKey instanceof RSAPublicKey rsa) {
            jwk.put("kty", "RSA");
            jwk.put("use", "sig");
            jwk.put("alg", alg);
            jwk.put("kid", kid);
            jwk.put("n", unsigned(rsa.getModulus(), 0));
            jwk.put("e", unsigned(rsa.getPublicExponent(), 0));
        } else if (publicKey instanceof ECPublicKey ec) {
            jwk.put("kty", "EC");
            jwk.put("use", "sig");
            jwk.put("alg", alg);
            jwk.put("kid", kid);
            jwk.put("crv", "P-256");
            jwk.put("x", unsigned(ec.getW().getAffineX(), 32));
            jwk.put("y", unsigned(ec.getW().getAffineY(), 32));
        }
        return jwk;
    }

    /** Big-endian magnitude without the sign byte, left-padded to {@code length} when given, base64url. */
    private static String unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (length > bytes.length) {
            byte[] padded = new byte[length];
            System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
            bytes = padded;
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
