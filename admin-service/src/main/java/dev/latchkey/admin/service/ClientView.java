package dev.latchkey.admin.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A client as the API shows it. {@code client_secret} is present only in the answer that created it (create,
 * rotate, or a change to a confidential authentication method); it is never readable again.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientView(
        String clientId,
        String name,
        String appType,
        String tokenEndpointAuthMethod,
        List<String> callbacks,
        List<String> allowedOrigins,
        List<String> connections,
        List<String> grantTypes,
        Integer idTokenTtlS,
        Integer accessTokenTtlS,
        ClientCommand.RefreshToken refreshToken,
        Map<String, List<String>> clientGrants,
        String clientSecret,
        Instant createdAt,
        Instant updatedAt) {

    public ClientView withSecret(String secret) {
        return new ClientView(clientId, name, appType, tokenEndpointAuthMethod, callbacks, allowedOrigins,
                connections, grantTypes, idTokenTtlS, accessTokenTtlS, refreshToken, clientGrants, secret, createdAt,
                updatedAt);
    }
}
