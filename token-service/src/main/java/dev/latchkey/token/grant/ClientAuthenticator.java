package dev.latchkey.token.grant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ClientSecrets;
import dev.latchkey.common.config.ConfigView;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.service.TokenRequest;

/** Finds the calling client in the live config view and checks its secret (client_secret_post or _basic). */
@ApplicationScoped
public class ClientAuthenticator {

    private final ConfigView config;

    public ClientAuthenticator(ConfigView config) {
        this.config = config;
    }

    /** The client, authenticated when it is confidential; 401 {@code invalid_client} otherwise. */
    public ClientConfig authenticate(TokenRequest request) {
        ClientConfig client = find(request.clientId());
        if (client.confidential() && !ClientSecrets.matches(request.clientSecret(), client.clientSecretSha256())) {
            throw AuthError.invalidClient();
        }
        return client;
    }

    /** The client by id, without authentication (redirect flows identify, the token endpoint authenticates). */
    public ClientConfig find(String clientId) {
        if (clientId == null || clientId.isBlank()) {
            throw AuthError.invalidRequest("Missing required parameter: client_id");
        }
        return config.client(clientId).orElseThrow(AuthError::invalidClient);
    }

    /** 403 {@code unauthorized_client} unless the grant type is enabled for the client. */
    public static void requireGrant(ClientConfig client, String grantType) {
        if (!client.grantEnabled(grantType)) {
            throw AuthError.unauthorizedClient(grantType);
        }
    }
}
