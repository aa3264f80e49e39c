package dev.latchkey.admin.api;

import static dev.latchkey.common.auth.ManagementScopes.UPDATE_CLIENTS;
import static dev.latchkey.common.auth.ManagementScopes.UPDATE_CONNECTIONS;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

import dev.latchkey.admin.service.ConfigResync;

/** {@code /api/v2/config}: the config topic as a whole. */
@Path("/api/v2/config")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigResource {

    private final ConfigResync resync;
    private final SecurityIdentity identity;

    public ConfigResource(ConfigResync resync, SecurityIdentity identity) {
        this.resync = resync;
        this.identity = identity;
    }

    /**
     * Republishes every client and connection to {@code latchkey.config}. Needs both {@code update:clients} and
     * {@code update:connections}. 202: the records are queued in the outbox and published right after.
     */
    @POST
    @Path("/resync")
    @RolesAllowed(UPDATE_CLIENTS)
    public Uni<RestResponse<ConfigResync.Resync>> resync() {
        if (!identity.hasRole(UPDATE_CONNECTIONS)) {
            throw new ForbiddenException();
        }
        return resync.resyncAll().map(r -> RestResponse.status(RestResponse.Status.ACCEPTED, r));
    }
}
