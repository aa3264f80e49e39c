package dev.latchkey.token;

import static io.restassured.RestAssured.given;

import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Verifies tokens the way a relying party would: against the JWKS fetched over HTTP, with nimbus-jose-jwt, a library
 * that has nothing to do with the code that minted them (smallrye-jwt / jose4j).
 */
public final class Jwts {

    private Jwts() {
    }

    public static String jwks() {
        return given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
    }

    /** The claims of a token whose signature the published JWKS verifies; fails otherwise. */
    public static JWTClaimsSet verify(String token) {
        return verify(token, jwks());
    }

    public static JWTClaimsSet verify(String token, String jwks) {
        try {
            DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
            p.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                    new ImmutableJWKSet<>(JWKSet.parse(jwks))));
            // Time and audience are asserted by the tests themselves.
            p.setJWTClaimsSetVerifier((claims, context) -> {
            });
            return p.process(token, null);
        } catch (Exception e) {
            throw new AssertionError("token does not verify against the JWKS: " + e, e);
        }
    }

    public static String kid(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getKeyID();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    public static String alg(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getAlgorithm().getName();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }
}
