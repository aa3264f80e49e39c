package dev.latchkey.token.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

import io.quarkus.test.junit.QuarkusTest;

import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.token.provider.CryptoProvider;

/** Discovery document, JWKS content, and which crypto provider signs. */
@QuarkusTest
class DiscoveryTest {

    @Inject
    AuthConfig auth;

    @Inject
    CryptoProvider crypto;

    @Test
    void discoveryDocumentNamesOurEndpoints() {
        String issuer = auth.issuerWithSlash();
        given().get("/.well-known/openid-configuration").then().statusCode(200)
                .body("issuer", equalTo(issuer))
                .body("token_endpoint", equalTo(issuer + "oauth/token"))
                .body("authorization_endpoint", equalTo(issuer + "authorize"))
                .body("userinfo_endpoint", equalTo(issuer + "userinfo"))
                .body("jwks_uri", equalTo(issuer + ".well-known/jwks.json"))
                .body("id_token_signing_alg_values_supported", hasItem("RS256"))
                .body("code_challenge_methods_supported", hasItem("S256"))
                .body("grant_types_supported", hasItem("http://auth0.com/oauth/grant-type/passwordless/otp"));
    }

    @Test
    void jwksPublishesPublicKeysOnlyWithKidAndAlg() throws Exception {
        JWKSet set = JWKSet.parse(given().get("/.well-known/jwks.json").then().statusCode(200)
                .header("Cache-Control", "public, max-age=300").extract().asString());
        boolean rsa = false;
        boolean ec = false;
        for (JWK k : set.getKeys()) {
            assertFalse(k.isPrivate(), "private part published: " + k.getKeyID());
            assertNotNull(k.getKeyID());
            assertNotNull(k.getAlgorithm());
            assertEquals("sig", k.getKeyUse().identifier());
            if (k instanceof RSAKey r) {
                rsa = true;
                assertEquals("RS256", k.getAlgorithm().getName());
                assertEquals(2048, r.size());
            }
            if (k instanceof ECKey e) {
                ec = true;
                assertEquals("ES256", k.getAlgorithm().getName());
                assertEquals("P-256", e.getCurve().getName());
            }
        }
        assertTrue(rsa && ec, "both RS256 and ES256 keys are published");
    }

    @Test
    void activeCryptoProviderIsReportedAsAMetric() {
        String active = crypto.installed();
        boolean accpLoads = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError() == null;
        // Where AWS-LC loads (this Linux x86-64 machine) it must be the one signing; elsewhere the JDK's provider.
        assertEquals(accpLoads ? "AmazonCorrettoCryptoProvider" : "SunRsaSign", active);
        assertEquals(active, CryptoProvider.signer());
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("latchkey_crypto_provider{provider=\"" + active + "\"} 1.0"),
                "gauge latchkey_crypto_provider for " + active);
    }
}
