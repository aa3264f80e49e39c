package dev.latchkey.common.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The Authentication API's error body (Auth0's): {@code {"error","error_description"}}. */
public record AuthenticationError(String error, @JsonProperty("error_description") String errorDescription) {
}
