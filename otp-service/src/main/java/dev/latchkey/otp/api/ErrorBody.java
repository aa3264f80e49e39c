package dev.latchkey.otp.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Auth0's error shape, the only one this service answers with. */
public record ErrorBody(
        @JsonProperty("error") String error,
        @JsonProperty("error_description") String errorDescription) {
}
