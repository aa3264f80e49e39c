package dev.latchkey.admin.api;

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
public record ClientResponse(
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
        ClientRequest.RefreshToken refreshToken,
        Map<String, List<String>> clientGrants,
        String clientSecret,
        Instant createdAt,
        Instant updatedAt) {

    public ClientResponse withSecret(String secret) {
        return new ClientResponse(clientId, name, appType, tokenEndpointAuthMethod, callbacks, allowedOrigins,
                connections, grantTypes, idTokenTtlS, accessTokenTtlS, refreshToken, clientGrants, secret, createdAt,
                updatedAt);
    }
}
