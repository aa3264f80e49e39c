package dev.latchkey.token.api;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

import dev.latchkey.common.cors.CrossOriginRequests;
import dev.latchkey.token.login.CrossOriginLogins;
import dev.latchkey.token.login.CrossOriginLogins.Authenticated;
import dev.latchkey.token.service.TokenRequest;

/**
 * {@code POST /co/authenticate}, cross-origin authentication as auth0.js {@code passwordlessLogin} calls it (JSON, with
 * credentials, from a page on an origin the client allows): the code is verified and a login ticket comes back, which
 * auth0.js takes to {@code /authorize?login_ticket=}.
 */
@Path("/co/authenticate")
public class CrossOriginResource {

    private final CrossOriginLogins logins;
    private final CrossOriginRequests origins;

    public CrossOriginResource(CrossOriginLogins logins, CrossOriginRequests origins) {
        this.logins = logins;
        this.origins = origins;
    }

    /** The answer: {@code co_id} and {@code co_verifier} are what auth0.js keeps for a browser check (README). */
    public record Body(@JsonProperty("login_ticket") String loginTicket, @JsonProperty("co_id") String coId,
            @JsonProperty("co_verifier") String coVerifier) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> json(Map<String, Object> body, RoutingContext rc) {
        return authenticate(Requests.fromJson(body, null, TokenResource.remote(rc.request())), rc);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> form(MultivaluedMap<String, String> form, RoutingContext rc) {
        return authenticate(Requests.fromForm(form, null, TokenResource.remote(rc.request())), rc);
    }

    private Uni<Response> authenticate(TokenRequest r, RoutingContext rc) {
        Requests.admitted(origins, rc, r);
        return logins.authenticate(r, rc.request().getHeader("Origin")).map(CrossOriginResource::ok);
    }

    private static Response ok(Authenticated a) {
        return Response.ok(new Body(a.loginTicket(), a.coId(), a.coVerifier())).type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache").build();
    }
}
