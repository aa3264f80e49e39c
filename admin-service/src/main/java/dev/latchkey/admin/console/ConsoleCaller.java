package dev.latchkey.admin.console;

import static dev.latchkey.common.auth.ManagementScopes.READ_CLIENTS;
import static dev.latchkey.common.auth.ManagementScopes.READ_CONNECTIONS;
import static dev.latchkey.common.auth.ManagementScopes.READ_USERS;
import static dev.latchkey.common.auth.ManagementScopes.UPDATE_CLIENTS;
import static dev.latchkey.common.auth.ManagementScopes.UPDATE_CONNECTIONS;
import static dev.latchkey.common.auth.ManagementScopes.UPDATE_USERS;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

import dev.latchkey.admin.console.ConsoleViews.Session;
import dev.latchkey.admin.service.ManagementException;

/** The signed-in operator of this request: its token, what its scopes allow, and the check of a form's CSRF value. */
@RequestScoped
class ConsoleCaller {

    private final JsonWebToken token;
    private final SecurityIdentity identity;

    ConsoleCaller(JsonWebToken token, SecurityIdentity identity) {
        this.token = token;
        this.identity = identity;
    }

    /** The Management API token, passed on to token-service's internal API. */
    String rawToken() {
        return token.getRawToken();
    }

    Session session() {
        return new Session(ConsoleSession.csrf(token.getRawToken()), identity.hasRole(READ_CLIENTS),
                identity.hasRole(READ_CONNECTIONS), identity.hasRole(READ_USERS), identity.hasRole(UPDATE_CLIENTS),
                identity.hasRole(UPDATE_CONNECTIONS), identity.hasRole(UPDATE_USERS));
    }

    /** A form changes something only with the CSRF value of this session (a page of another origin cannot know it). */
    void checkCsrf(String presented) {
        if (!ConsoleSession.csrfMatches(token.getRawToken(), presented)) {
            throw new ForbiddenException("CSRF check failed");
        }
    }

    /**
     * Saves a posted form the way every console page does: the CSRF check, the form as a merge patch
     * ({@link ConsoleForms}), the service's update, then 303 to {@code saved}; a refused patch shows the page again
     * with the API's message and status.
     */
    Uni<Response> save(MultivaluedMap<String, String> form, Function<Map<String, List<String>>, ObjectNode> patchOf,
            Function<ObjectNode, Uni<?>> update, URI saved, Function<String, Uni<TemplateInstance>> pageWithError) {
        checkCsrf(form.getFirst("csrf"));
        return Uni.createFrom().item(() -> patchOf.apply(form)).chain(update)
                .map(x -> Response.seeOther(saved).build())
                .onFailure(ManagementException.class).recoverWithUni(e -> pageWithError.apply(e.getMessage())
                        .map(page -> Response.status(((ManagementException) e).kind().status).entity(page).build()));
    }
}
