package dev.latchkey.token.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The one error shape of the public API (Auth0's). */
public record ErrorBody(String error, @JsonProperty("error_description") String errorDescription) {
}
