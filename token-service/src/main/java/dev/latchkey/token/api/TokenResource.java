package dev.latchkey.token.api;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import dev.latchkey.common.cors.CrossOriginRequests;
import dev.latchkey.token.grant.TokenResponse;
import dev.latchkey.token.grant.TokenService;

/**
 * {@code POST /oauth/token}, form or JSON: grant types {@code http://auth0.com/oauth/grant-type/passwordless/otp},
 * {@code authorization_code} (PKCE), {@code refresh_token}, {@code client_credentials}.
 */
@Path("/oauth/token")
public class TokenResource {

    private final TokenService tokens;
    private final CrossOriginRequests origins;

    public TokenResource(TokenService tokens, CrossOriginRequests origins) {
        this.tokens = tokens;
        this.origins = origins;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> form(MultivaluedMap<String, String> form,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, RoutingContext rc) {
        return tokens
                .token(Requests.admitted(origins, rc, Requests.fromForm(form, authorization, remote(rc.request()))))
                .map(TokenResource::ok);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> json(Map<String, Object> body,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, RoutingContext rc) {
        return tokens
                .token(Requests.admitted(origins, rc, Requests.fromJson(body, authorization, remote(rc.request()))))
                .map(TokenResource::ok);
    }

    static Response ok(TokenResponse t) {
        return Response.ok(TokenBody.of(t)).type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache").build();
    }

    static String remote(HttpServerRequest request) {
        return request == null || request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
