package dev.latchkey.token.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.latchkey.common.event.Channel;
import dev.latchkey.token.store.UserEntity;

/** A user as the internal API shows it (the fields of Auth0's user object that apply). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserBody(String userId, String connection, String email, Boolean emailVerified, String phoneNumber,
        Boolean phoneVerified, boolean blocked, int loginsCount, Instant lastLogin, Instant createdAt,
        Instant updatedAt, List<Identity> identities) {

    /** One identity (Latchkey users have exactly one). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Identity(String connection, String provider, String userId,
            @JsonProperty("isSocial") boolean social) {
    }

    static UserBody of(UserEntity u) {
        boolean sms = u.channel() == Channel.SMS;
        String id = u.userId.substring(u.userId.indexOf('|') + 1);
        return new UserBody(u.userId, u.connection, sms ? null : u.identifier, sms ? null : u.emailVerified,
                sms ? u.identifier : null, sms ? u.phoneVerified : null, u.blocked, u.loginsCount, u.lastLogin,
                u.createdAt, u.updatedAt, List.of(new Identity(u.connection, u.strategy, id, false)));
    }
}
