package dev.latchkey.delivery.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.recipient.Recipients;
import dev.latchkey.delivery.provider.OutboxSmsSender;
import dev.latchkey.delivery.store.OutboxStore;

/**
 * The local SMS outbox: {@code GET /outbox/messages?to=<phone number>}, newest first. It answers only while the
 * outbox provider is active ({@code latchkey.delivery.outbox.enabled}); otherwise it is a 404 like any unknown path.
 */
@Path("/outbox/messages")
public class OutboxResource {

    private final OutboxSmsSender outbox;
    private final OutboxStore store;

    public OutboxResource(OutboxSmsSender outbox, OutboxStore store) {
        this.outbox = outbox;
        this.store = store;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> messages(@QueryParam("to") String to) {
        if (!outbox.active()) {
            return Uni.createFrom().item(ApiError.response(404, "not_found", "The SMS outbox is not active."));
        }
        if (to == null || to.isBlank()) {
            return Uni.createFrom().item(ApiError.response(400, "bad.request", "Missing query parameter: to."));
        }
        // An unencoded "+" in a query string arrives as a space.
        String raw = to.startsWith(" ") ? "+" + to.strip() : to;
        return Recipients.phone(raw)
                .map(number -> store.list(number).map(list -> Response.ok(list).build()))
                .orElseGet(() -> Uni.createFrom().item(ApiError.response(400, "bad.phone_number",
                        "to must be a phone number in E.164 format.")));
    }
}
