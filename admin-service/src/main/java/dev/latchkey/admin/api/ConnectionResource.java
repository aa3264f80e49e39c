package dev.latchkey.admin.api;

import static dev.latchkey.common.auth.ManagementScopes.CREATE_CONNECTIONS;
import static dev.latchkey.common.auth.ManagementScopes.DELETE_CONNECTIONS;
import static dev.latchkey.common.auth.ManagementScopes.READ_CONNECTIONS;
import static dev.latchkey.common.auth.ManagementScopes.UPDATE_CONNECTIONS;

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

import dev.latchkey.admin.service.ConnectionCommand;
import dev.latchkey.admin.service.ConnectionService;
import dev.latchkey.admin.service.ConnectionView;
import dev.latchkey.admin.service.ManagementException;
import dev.latchkey.admin.service.RequestJson;
import dev.latchkey.common.event.Channel;

/** {@code /api/v2/connections}: the {@code sms} and {@code email} connections, addressed by name. */
@Path("/api/v2/connections")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionResource {

    private final ConnectionService connections;
    private final RequestJson json;

    public ConnectionResource(ConnectionService connections, RequestJson json) {
        this.connections = connections;
        this.json = json;
    }

    @GET
    @RolesAllowed(READ_CONNECTIONS)
    public Uni<Object> list(@QueryParam("strategy") String strategy, @QueryParam("page") String page,
            @QueryParam("per_page") String perPage, @QueryParam("include_totals") String includeTotals) {
        Paging paging = Paging.of(page, perPage, includeTotals);
        if (strategy != null && Channel.of(strategy).isEmpty()) {
            throw ManagementException.invalidQuery("strategy must be sms or email");
        }
        return connections.list(strategy, paging.page(), paging.perPage()).map(p -> paging.body(p, "connections"));
    }

    @GET
    @Path("/{name}")
    @RolesAllowed(READ_CONNECTIONS)
    public Uni<ConnectionView> get(@PathParam("name") String name) {
        return connections.get(name);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(CREATE_CONNECTIONS)
    public Uni<RestResponse<ConnectionView>> create(String body) {
        ConnectionCommand request = json.read(json.parse(body), ConnectionCommand.class);
        return connections.create(request).map(c -> RestResponse.status(RestResponse.Status.CREATED, c));
    }

    @PATCH
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(UPDATE_CONNECTIONS)
    public Uni<ConnectionView> update(@PathParam("name") String name, String body) {
        return connections.update(name, json.parse(body));
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed(DELETE_CONNECTIONS)
    public Uni<RestResponse<Void>> delete(@PathParam("name") String name) {
        return connections.delete(name).map(v -> RestResponse.noContent());
    }
}
