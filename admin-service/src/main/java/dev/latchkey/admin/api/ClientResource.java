package dev.latchkey.admin.api;

import static dev.latchkey.common.auth.ManagementScopes.CREATE_CLIENTS;
import static dev.latchkey.common.auth.ManagementScopes.DELETE_CLIENTS;
import static dev.latchkey.common.auth.ManagementScopes.READ_CLIENTS;
import static dev.latchkey.common.auth.ManagementScopes.UPDATE_CLIENTS;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;

import dev.latchkey.admin.service.ClientCommand;
import dev.latchkey.admin.service.ClientService;
import dev.latchkey.admin.service.ClientView;
import dev.latchkey.admin.service.RequestJson;

/** {@code /api/v2/clients}: applications. */
@Path("/api/v2/clients")
@Produces(MediaType.APPLICATION_JSON)
public class ClientResource {

    private final ClientService clients;
    private final RequestJson json;

    public ClientResource(ClientService clients, RequestJson json) {
        this.clients = clients;
        this.json = json;
    }

    @GET
    @RolesAllowed(READ_CLIENTS)
    public Uni<Object> list(@QueryParam("page") String page, @QueryParam("per_page") String perPage,
            @QueryParam("include_totals") String includeTotals) {
        Paging paging = Paging.of(page, perPage, includeTotals);
        return clients.list(paging.page(), paging.perPage()).map(p -> paging.body(p, "clients"));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(READ_CLIENTS)
    public Uni<ClientView> get(@PathParam("id") String id) {
        return clients.get(id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(CREATE_CLIENTS)
    public Uni<RestResponse<ClientView>> create(String body) {
        ClientCommand request = json.read(json.parse(body), ClientCommand.class);
        return clients.create(request).map(c -> RestResponse.status(RestResponse.Status.CREATED, c));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(UPDATE_CLIENTS)
    public Uni<ClientView> update(@PathParam("id") String id, String body) {
        return clients.update(id, json.parse(body));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(DELETE_CLIENTS)
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id) {
        return clients.delete(id).map(v -> RestResponse.noContent());
    }

    /** A new secret for a confidential client, returned in this answer only (Auth0's rotate-secret). */
    @POST
    @Path("/{id}/rotate-secret")
    @RolesAllowed(UPDATE_CLIENTS)
    public Uni<ClientView> rotateSecret(@PathParam("id") String id) {
        return clients.rotateSecret(id);
    }
}
