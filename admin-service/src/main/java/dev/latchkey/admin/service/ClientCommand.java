package dev.latchkey.admin.service;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The writable fields of a client (create body; a PATCH is merged into the current ones). Absent fields take the
 * defaults of the app type.
 *
 * @param clientId optional on create (generated when absent); cannot change
 * @param appType {@code regular_web}, {@code spa}, {@code native} or {@code non_interactive}
 * @param tokenEndpointAuthMethod {@code none} (public client), {@code client_secret_post} or
 *        {@code client_secret_basic} (confidential: a secret is generated)
 * @param clientGrants API audience → scopes the client may get with {@code client_credentials}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientCommand(
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
        RefreshToken refreshToken,
        Map<String, List<String>> clientGrants) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RefreshToken(Boolean rotation, Integer reuseIntervalS, Integer absoluteTtlS) {
    }
}
