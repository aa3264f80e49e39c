package dev.latchkey.token.api;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

import dev.latchkey.common.cors.CrossOriginRequests;
import dev.latchkey.token.grant.TokenResponse;
import dev.latchkey.token.login.Outcome.ErrorPage;
import dev.latchkey.token.login.Outcome.FormPost;
import dev.latchkey.token.login.Outcome.Redirect;
import dev.latchkey.token.login.Outcome.WebMessage;
import dev.latchkey.token.login.PasswordlessVerification;

/** {@code GET /passwordless/verify_redirect} and the legacy {@code POST /passwordless/verify}. */
@Path("/passwordless")
public class PasswordlessResource {

    private final PasswordlessVerification passwordless;
    private final Template errorPage;
    private final Template formPost;
    private final CrossOriginRequests origins;

    private final WebMessagePage webMessage;

    public PasswordlessResource(PasswordlessVerification passwordless, @Location("error.html") Template errorPage,
            @Location("form-post.html") Template formPost, CrossOriginRequests origins, WebMessagePage webMessage) {
        this.passwordless = passwordless;
        this.webMessage = webMessage;
        this.origins = origins;
        this.errorPage = errorPage;
        this.formPost = formPost;
    }

    /**
     * Magic links and auth0.js {@code passwordlessVerify}: {@code client_id}, {@code connection},
     * {@code verification_code}, {@code phone_number} or {@code email}, and the authorize parameters
     * ({@code response_type}, {@code redirect_uri}, {@code state}, {@code scope}, {@code nonce}, {@code audience},
     * {@code response_mode}, {@code code_challenge}).
     */
    @GET
    @Path("verify_redirect")
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> verifyRedirect(@Context UriInfo uri) {
        Map<String, String> query = new HashMap<>();
        for (Map.Entry<String, List<String>> e : uri.getQueryParameters().entrySet()) {
            if (!e.getValue().isEmpty()) {
                query.put(e.getKey(), e.getValue().getFirst());
            }
        }
        return passwordless.verifyRedirect(query).map(outcome -> switch (outcome) {
            case Redirect r -> Response.status(Response.Status.FOUND).location(URI.create(r.location()))
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
            case FormPost f -> html(200, formPost.data("action", f.action()).data("fields", f.fields()).render());
            case ErrorPage e -> html(e.status(), errorPage.data("error", e.error())
                    .data("description", e.description()).render());
            case WebMessage w -> webMessage.render(w);
        });
    }

    @POST
    @Path("verify")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> verifyForm(MultivaluedMap<String, String> form,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, RoutingContext rc) {
        return passwordless.verify(Requests.admitted(origins, rc,
                Requests.fromForm(form, authorization, TokenResource.remote(rc.request()))))
                .map(PasswordlessResource::verified);
    }

    @POST
    @Path("verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> verifyJson(Map<String, Object> body,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, RoutingContext rc) {
        return passwordless.verify(Requests.admitted(origins, rc,
                Requests.fromJson(body, authorization, TokenResource.remote(rc.request()))))
                .map(PasswordlessResource::verified);
    }

    private static Response verified(TokenResponse tokens) {
        // A check (auth0.js) answers an empty object; a legacy login answers tokens.
        return tokens == null
                ? Response.ok(Map.of()).header(HttpHeaders.CACHE_CONTROL, "no-store").build()
                : TokenResource.ok(tokens);
    }

    static Response html(int status, String body) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
                        + "script-src 'unsafe-inline'; form-action *")
                .entity(body).build();
    }
}
