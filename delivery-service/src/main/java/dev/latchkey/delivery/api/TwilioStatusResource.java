package dev.latchkey.delivery.api;

import java.util.HashMap;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import dev.latchkey.delivery.config.DeliveryConfig;
import dev.latchkey.delivery.messaging.DeliveryPublisher;
import dev.latchkey.delivery.provider.TwilioSmsSender;
import dev.latchkey.delivery.service.TwilioCallbackService;

/**
 * Twilio's message status callback, {@code POST /twilio/status?event=<event id>} (the URL each message names as its
 * StatusCallback). 204 when the signature checks out and the record is updated; 403 for an unsigned, badly signed or
 * unknown callback.
 */
@Path("/twilio/status")
public class TwilioStatusResource {

    private final TwilioCallbackService callbacks;
    private final DeliveryPublisher publisher;
    private final DeliveryConfig config;

    public TwilioStatusResource(TwilioCallbackService callbacks, DeliveryPublisher publisher, DeliveryConfig config) {
        this.callbacks = callbacks;
        this.publisher = publisher;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> status(MultivaluedMap<String, String> form, @QueryParam("event") String eventId,
            @HeaderParam("X-Twilio-Signature") String signature, @jakarta.ws.rs.core.Context UriInfo uri) {
        Map<String, String> params = new HashMap<>();
        form.forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
        // The URL exactly as Twilio was given it: the configured public one, else the one the request came to.
        String url = config.twilio().statusCallbackUrl()
                .map(base -> eventId == null ? base : TwilioSmsSender.callbackUrl(base, eventId))
                .orElseGet(() -> uri.getRequestUri().toString());
        // What the callback settled is published like every other outcome, before Twilio hears it was taken.
        return callbacks.handle(url, eventId, params, signature)
                .call(callback -> Multi.createFrom().iterable(callback.reports())
                        .onItem().transformToUniAndConcatenate(r -> publisher.publish(r, null, Context.current()))
                        .collect().last())
                .map(callback -> switch (callback.result()) {
                    case ACCEPTED -> Response.noContent().build();
                    case FORBIDDEN -> ApiError.response(403, "access_denied", "Missing or invalid Twilio signature.");
                });
    }
}
