package dev.latchkey.admin.support;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.UUID;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Management API tokens for tests, signed with an RSA key generated at test time and published by
 * {@link AdminTestServers} as the JWKS admin-service verifies against (standing in for token-service's).
 */
public final class TestTokens {

    public static final String ISSUER = "http://127.0.0.1:8080/";
    public static final String AUDIENCE = "http://127.0.0.1:8080/api/v2/";

    private static final KeyPair KEY = generate();
    private static final String KID = "test-" + UUID.randomUUID();

    private TestTokens() {
    }

    /** A valid token carrying these scopes. */
    public static String withScopes(String... scopes) {
        return sign(claims(String.join(" ", scopes), 600), KEY.getPrivate(), KID,
                AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    /** Every Management API scope. */
    public static String all() {
        return withScopes("read:clients", "create:clients", "update:clients", "delete:clients", "read:connections",
                "create:connections", "update:connections", "delete:connections", "read:users", "update:users",
                "delete:users", "read:signing_keys", "create:signing_keys");
    }

    public static String expired(String... scopes) {
        JwtClaims c = claims(String.join(" ", scopes), 600);
        c.setExpirationTimeMinutesInTheFuture(-10);
        c.setIssuedAtToNow();
        return sign(c, KEY.getPrivate(), KID, AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    /** A token that expired this many seconds ago (negative: expires in the future), issued a minute before that. */
    public static String expiredSecondsAgo(long seconds, String... scopes) {
        JwtClaims c = claims(String.join(" ", scopes), 600);
        long now = NumericDate.now().getValue();
        c.setExpirationTime(NumericDate.fromSeconds(now - seconds));
        c.setIssuedAt(NumericDate.fromSeconds(now - seconds - 60));
        return sign(c, KEY.getPrivate(), KID, AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    /** Same kid, right claims, but signed by a key that is not in the JWKS. */
    public static String forged(String... scopes) {
        return sign(claims(String.join(" ", scopes), 600), generate().getPrivate(), KID,
                AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    public static String withAudience(String audience, String... scopes) {
        JwtClaims c = claims(String.join(" ", scopes), 600);
        c.setAudience(audience);
        return sign(c, KEY.getPrivate(), KID, AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    /** An unsigned token ({@code alg: none}). */
    public static String unsigned(String... scopes) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims(String.join(" ", scopes), 600).toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWKS document. */
    public static String jwks() {
        try {
            RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) KEY.getPublic());
            jwk.setKeyId(KID);
            jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            jwk.setUse("sig");
            return new JsonWebKeySet(List.of(jwk)).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JwtClaims claims(String scope, int ttlSeconds) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(ISSUER);
        c.setAudience(AUDIENCE);
        c.setSubject("test-operator@clients");
        c.setIssuedAtToNow();
        c.setExpirationTimeMinutesInTheFuture(ttlSeconds / 60f);
        c.setGeneratedJwtId();
        c.setClaim("scope", scope);
        return c;
    }

    private static String sign(JwtClaims claims, PrivateKey key, String kid, String alg) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setKeyIdHeaderValue(kid);
        jws.setAlgorithmHeaderValue(alg);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
