package dev.latchkey.admin.console;

import static dev.latchkey.common.auth.ManagementScopes.READ_USERS;
import static dev.latchkey.common.auth.ManagementScopes.UPDATE_USERS;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

import dev.latchkey.admin.console.ConsoleViews.UserRow;
import dev.latchkey.admin.provider.TokenServiceGateway;
import dev.latchkey.admin.service.ManagementException;

/** The console's users page: search token-service's users, block and unblock them. */
@Path("/console/users")
@Produces(MediaType.TEXT_HTML)
public class ConsoleUsersResource {

    private static final int USERS_PER_PAGE = 50;

    private final TokenServiceGateway tokenService;
    private final ConsoleCaller caller;

    public ConsoleUsersResource(TokenServiceGateway tokenService, ConsoleCaller caller) {
        this.tokenService = tokenService;
        this.caller = caller;
    }

    @GET
    @RolesAllowed(READ_USERS)
    public Uni<TemplateInstance> users(@RestQuery String q, @RestQuery String connection, @RestQuery int page) {
        var session = caller.session();
        int p = Math.max(0, page);
        return tokenService.listUsers(caller.rawToken(), blankToNull(connection), null, blankToNull(q), p,
                USERS_PER_PAGE)
                .map(body -> {
                    List<UserRow> rows = ConsoleViews.userRows(body);
                    long total = body.path("total").asLong(rows.size());
                    boolean more = (long) (p + 1) * USERS_PER_PAGE < total;
                    return ConsolePages.users(session, rows, q, connection, p > 0 ? link(q, connection, p - 1) : null,
                            more ? link(q, connection, p + 1) : null, null);
                })
                .onFailure(ManagementException.class).recoverWithItem(
                        e -> ConsolePages.users(session, List.of(), q, connection, null, null, e.getMessage()));
    }

    @POST
    @Path("/block")
    @RolesAllowed(UPDATE_USERS)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> block(MultivaluedMap<String, String> form) {
        caller.checkCsrf(form.getFirst("csrf"));
        boolean blocked = "true".equals(form.getFirst("blocked"));
        URI back = UriBuilder.fromPath("/console/users")
                .queryParam("q", form.getFirst("q") == null ? "" : form.getFirst("q"))
                .queryParam("connection", form.getFirst("connection") == null ? "" : form.getFirst("connection"))
                .build();
        return tokenService.setBlocked(caller.rawToken(), form.getFirst("user_id"), blocked)
                .map(u -> Response.seeOther(back).build());
    }

    private static String link(String q, String connection, int page) {
        return UriBuilder.fromPath("/console/users").queryParam("q", q == null ? "" : q)
                .queryParam("connection", connection == null ? "" : connection).queryParam("page", page).build()
                .toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
