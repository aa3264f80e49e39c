package dev.latchkey.admin.console;

import java.net.URI;
import java.time.Clock;
import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestForm;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;

import dev.latchkey.admin.config.AdminConfig;
import dev.latchkey.admin.console.ConsoleViews.ClientRow;
import dev.latchkey.admin.console.ConsoleViews.Session;
import dev.latchkey.admin.service.ClientService;
import dev.latchkey.admin.service.ConnectionService;
import dev.latchkey.admin.service.ConnectionView;
import dev.latchkey.admin.service.Page;
import dev.latchkey.common.auth.AuthConfig;

/**
 * The operator console's session pages: sign in with a Management API token (kept in an HttpOnly cookie for
 * {@code /console}, see {@link ConsoleSession}), sign out, and the overview of clients and connections. The other
 * pages are {@link ConsoleClientsResource}, {@link ConsoleConnectionsResource} and {@link ConsoleUsersResource}; each
 * needs the scope its API call would.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleSessionResource {

    private final ClientService clients;
    private final ConnectionService connections;
    private final ConsoleCaller caller;
    private final JWTParser parser;
    private final AuthConfig auth;
    private final AdminConfig config;
    private final Clock clock;

    public ConsoleSessionResource(ClientService clients, ConnectionService connections, ConsoleCaller caller,
            JWTParser parser, AuthConfig auth, AdminConfig config, Clock clock) {
        this.clients = clients;
        this.connections = connections;
        this.caller = caller;
        this.parser = parser;
        this.auth = auth;
        this.config = config;
        this.clock = clock;
    }

    @GET
    @Path("/login")
    @PermitAll
    public TemplateInstance loginPage() {
        return login(null);
    }

    /** Checks the token like any API call would (signature, issuer, audience, expiry) before keeping it. */
    @POST
    @Path("/login")
    @PermitAll
    @Blocking
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@RestForm String token) {
        String raw = token == null ? "" : token.strip().replaceFirst("^(?i)bearer\\s+", "");
        try {
            JsonWebToken jwt = parser.parse(raw);
            long maxAge = jwt.getExpirationTime() - clock.instant().getEpochSecond();
            return Response.seeOther(URI.create("/console"))
                    .cookie(ConsoleSession.cookie(raw, maxAge, config.console().secureCookie())).build();
        } catch (ParseException e) {
            return Response.status(401).entity(login("That token is not accepted: it is expired, malformed, or not "
                    + "a Management API token of this tenant.")).build();
        }
    }

    @POST
    @Path("/logout")
    @PermitAll
    public Response signOut() {
        return Response.seeOther(URI.create("/console/login"))
                .cookie(ConsoleSession.cleared(config.console().secureCookie())).build();
    }

    @GET
    @Authenticated
    public Uni<TemplateInstance> overview() {
        Session s = caller.session();
        Uni<List<ClientRow>> clientRows = s.readClients()
                ? clients.list(0, 100).map(p -> p.items().stream().map(ConsoleViews::row).toList())
                : Uni.createFrom().item(List.of());
        return clientRows.flatMap(c -> (s.readConnections()
                ? connections.list(null, 0, 100).map(Page::items)
                : Uni.createFrom().item(List.<ConnectionView>of()))
                .map(n -> ConsolePages.overview(s, c, n.stream().map(ConsoleViews::row).toList())));
    }

    private TemplateInstance login(String error) {
        return ConsolePages.login(error, auth.issuerWithSlash() + "oauth/token", auth.managementApiAudience());
    }
}
