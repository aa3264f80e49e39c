package dev.latchkey.otp.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.NonBlocking;

/**
 * {@code GET /ping}: the cheapest request this service answers (same HTTP stack, event loop, no server behind it). The
 * benchmark (bench/) measures {@code POST /passwordless/start} against it.
 */
@Path("/ping")
public class PingResource {

    @GET
    @NonBlocking
    @Produces(MediaType.TEXT_PLAIN)
    public String ping() {
        return "ok";
    }
}
