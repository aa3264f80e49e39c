package dev.latchkey.delivery.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The one error body of the service's HTTP API, Auth0's shape: {@code {"error", "error_description"}}. */
public record ApiError(String error, String error_description) {

    public static Response response(int status, String error, String description) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(error, description))
                .build();
    }
}
