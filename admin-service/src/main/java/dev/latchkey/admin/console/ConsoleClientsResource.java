package dev.latchkey.admin.console;

import static dev.latchkey.common.auth.ManagementScopes.READ_CLIENTS;
import static dev.latchkey.common.auth.ManagementScopes.UPDATE_CLIENTS;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

import dev.latchkey.admin.service.ClientService;
import dev.latchkey.admin.service.ConnectionService;

/** The console's client page: a client's settings, saved as the API's PATCH. */
@Path("/console/clients")
@Produces(MediaType.TEXT_HTML)
public class ConsoleClientsResource {

    static final List<String> GRANT_TYPES = List.of("authorization_code", "implicit", "refresh_token",
            "client_credentials", "http://auth0.com/oauth/grant-type/passwordless/otp");

    private final ClientService clients;
    private final ConnectionService connections;
    private final ConsoleCaller caller;

    public ConsoleClientsResource(ClientService clients, ConnectionService connections, ConsoleCaller caller) {
        this.clients = clients;
        this.connections = connections;
        this.caller = caller;
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(READ_CLIENTS)
    public Uni<TemplateInstance> client(@PathParam("id") String id, @RestQuery boolean saved) {
        return page(id, null, saved);
    }

    @POST
    @Path("/{id}")
    @RolesAllowed(UPDATE_CLIENTS)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> save(@PathParam("id") String id, MultivaluedMap<String, String> form) {
        return caller.save(form, ConsoleForms::clientPatch, patch -> clients.update(id, patch),
                UriBuilder.fromPath("/console/clients/{id}").queryParam("saved", true).build(id),
                error -> page(id, error, false));
    }

    private Uni<TemplateInstance> page(String id, String error, boolean saved) {
        var session = caller.session();
        return clients.get(id).flatMap(c -> connections.list(null, 0, 100)
                .map(all -> ConsolePages.client(session, ConsoleViews.clientForm(c, all.items(), GRANT_TYPES), error,
                        saved)));
    }
}
