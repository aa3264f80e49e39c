package dev.latchkey.token.keys;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.mutiny.Uni;

/** Signs claims with the current key of an algorithm (smallrye-jwt), {@code kid} in every header. */
@ApplicationScoped
public class TokenMinter {

    private final SigningKeys keys;

    public TokenMinter(SigningKeys keys) {
        this.keys = keys;
    }

    /** Signs with the current {@code alg} key ({@code RS256} or {@code ES256}). */
    public Uni<String> sign(String alg, Map<String, Object> claims) {
        return keys.signer(alg).map(key -> sign(key, claims));
    }

    /** Signs with a given key (the caller holds its private part). */
    public static String sign(SigningKey key, Map<String, Object> claims) {
        return Jwt.claims(claims).jws()
                .algorithm(SignatureAlgorithm.fromAlgorithm(key.alg()))
                .keyId(key.kid())
                .header("typ", "JWT")
                .sign(key.privateKey());
    }
}
