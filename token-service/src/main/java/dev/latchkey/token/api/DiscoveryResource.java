package dev.latchkey.token.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.token.keys.SigningKey;
import dev.latchkey.token.keys.SigningKeys;
import dev.latchkey.token.service.Grants;

/** OpenID Connect discovery and the JWKS (every published key: next, current, previous). */
@Path("/.well-known")
public class DiscoveryResource {

    private final SigningKeys keys;
    private final AuthConfig auth;

    public DiscoveryResource(SigningKeys keys, AuthConfig auth) {
        this.keys = keys;
        this.auth = auth;
    }

    @GET
    @Path("openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    public Response configuration() {
        String issuer = auth.issuerWithSlash();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("issuer", issuer);
        d.put("authorization_endpoint", issuer + "authorize");
        d.put("token_endpoint", issuer + "oauth/token");
        d.put("userinfo_endpoint", issuer + "userinfo");
        d.put("jwks_uri", issuer + ".well-known/jwks.json");
        d.put("scopes_supported", List.of("openid", "profile", "email", "phone", "offline_access"));
        d.put("response_types_supported", List.of("code", "token", "id_token", "id_token token"));
        d.put("response_modes_supported", List.of("query", "fragment", "form_post", "web_message"));
        d.put("grant_types_supported", List.of(Grants.AUTHORIZATION_CODE, Grants.REFRESH_TOKEN,
                Grants.CLIENT_CREDENTIALS, Grants.IMPLICIT, Grants.PASSWORDLESS_OTP));
        d.put("subject_types_supported", List.of("public"));
        d.put("id_token_signing_alg_values_supported", List.of(SigningKey.RS256));
        d.put("token_endpoint_auth_methods_supported", List.of("client_secret_post", "client_secret_basic", "none"));
        d.put("code_challenge_methods_supported", List.of("S256"));
        d.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash",
                "email", "email_verified", "phone_number", "phone_number_verified", "name", "updated_at"));
        d.put("request_uri_parameter_supported", false);
        return Response.ok(d).header(HttpHeaders.CACHE_CONTROL, "public, max-age=3600").build();
    }

    @GET
    @Path("jwks.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> jwks() {
        return keys.ring().map(ring -> Response
                .ok(Map.of("keys", ring.published().stream().map(SigningKey::jwk).toList()))
                // Short enough that a key rotated in is seen well before it signs (it is published as "next" first).
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=300").build());
    }
}
