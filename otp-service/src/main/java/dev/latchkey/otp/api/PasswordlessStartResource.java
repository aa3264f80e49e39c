package dev.latchkey.otp.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestHeader;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;

import dev.latchkey.common.cors.CrossOriginRequests;
import dev.latchkey.otp.service.CodeIssuer;
import dev.latchkey.otp.service.StartCommand;
import dev.latchkey.otp.service.StartFailure;
import dev.latchkey.otp.service.StartFailure.Reason;

/**
 * {@code POST /passwordless/start}, Auth0's wire format: sends a one-time code (SMS or email) or a magic link (email).
 * Runs on the event loop end to end. The body is not bound by JAX-RS: {@link StartBodyLimit} has read it (16 KiB at
 * most) and it is parsed here, so that every malformed request gets Auth0's error shape.
 */
@Path("/passwordless/start")
public class PasswordlessStartResource {

    private final CodeIssuer issuer;
    private final StartRequestReader reader;
    private final CrossOriginRequests origins;

    public PasswordlessStartResource(CodeIssuer issuer, StartRequestReader reader, CrossOriginRequests origins) {
        this.issuer = issuer;
        this.reader = reader;
        this.origins = origins;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<StartResponse> start(RoutingContext context,
            @RestHeader("Content-Type") String contentType,
            @RestHeader("x-request-language") String requestLanguage,
            @RestHeader("Accept-Language") String acceptLanguage,
            @RestHeader("auth0-forwarded-for") String auth0ForwardedFor,
            HttpServerRequest request) {
        RequestBody body = context.body();
        if (contentType != null && !json(contentType)) {
            throw new StartFailure(Reason.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
        }
        StartRequestReader.Body b = reader.read(body.available() && body.buffer() != null
                ? body.buffer().getBytes()
                : null);
        if (!origins.admit(context, b.clientId())) {
            throw new StartFailure(Reason.ORIGIN_NOT_ALLOWED, "This origin is not in the client's allowed_origins.");
        }
        var command = new StartCommand(b.clientId(), b.clientSecret(), b.connection(), b.phoneNumber(), b.email(),
                b.send(), b.authParams(),
                requestLanguage != null && !requestLanguage.isBlank() ? requestLanguage : acceptLanguage,
                ClientAddress.of(request), ClientAddress.literal(auth0ForwardedFor));
        return issuer.start(command).map(StartResponse::of);
    }

    private static boolean json(String contentType) {
        try {
            MediaType t = MediaType.valueOf(contentType);
            return t.isCompatible(MediaType.APPLICATION_JSON_TYPE) || t.getSubtype().endsWith("+json");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
