package dev.latchkey.otp.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.latchkey.common.event.Channel;
import dev.latchkey.otp.service.Started;

/**
 * Auth0's answer to a start: {@code {"_id","phone_number","phone_verified"}} or {@code {"_id","email","email_verified"}}.
 * It says nothing about whether the recipient has signed in before, or is blocked.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"_id", "phone_number", "phone_verified", "email", "email_verified"})
public record StartResponse(
        @JsonProperty("_id") String id,
        @JsonProperty("phone_number") String phoneNumber,
        @JsonProperty("phone_verified") Boolean phoneVerified,
        @JsonProperty("email") String email,
        @JsonProperty("email_verified") Boolean emailVerified) {

    static StartResponse of(Started s) {
        return s.channel() == Channel.SMS
                ? new StartResponse(s.eventId(), s.recipient(), false, null, null)
                : new StartResponse(s.eventId(), null, null, s.recipient(), false);
    }
}
