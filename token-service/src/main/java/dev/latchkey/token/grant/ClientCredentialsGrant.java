package dev.latchkey.token.grant;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.token.grant.Apis.Api;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.service.Grants;
import dev.latchkey.token.service.Scopes;
import dev.latchkey.token.service.TokenRequest;

/**
 * The client_credentials grant: a confidential client's token for an API ({@code audience}), with the scopes of its
 * client grant for that API (all of them, or those asked for).
 */
@ApplicationScoped
public class ClientCredentialsGrant implements TokenGrant {

    private final TokenSetIssuer issuer;
    private final Apis apis;

    public ClientCredentialsGrant(TokenSetIssuer issuer, Apis apis) {
        this.issuer = issuer;
        this.apis = apis;
    }

    @Override
    public String grantType() {
        return Grants.CLIENT_CREDENTIALS;
    }

    @Override
    public Uni<TokenResponse> token(ClientConfig client, TokenRequest r) {
        if (!client.confidential()) {
            throw AuthError.unauthorizedClient(Grants.CLIENT_CREDENTIALS);
        }
        String audience = r.param("audience");
        if (audience == null) {
            throw AuthError.accessDenied("No audience parameter was provided.");
        }
        Api api = apis.find(audience).orElseThrow(() -> AuthError.accessDenied("Service not found: " + audience));
        List<String> granted = client.grantedScopes(audience);
        if (granted.isEmpty()) {
            throw AuthError.accessDenied("Client is not authorized to access \"" + audience
                    + "\". You need to create a client grant associated to this API.");
        }
        Set<String> asked = Scopes.parse(r.param("scope"));
        Set<String> scopes = new LinkedHashSet<>();
        for (String s : granted) {
            if (asked.isEmpty() || asked.contains(s)) {
                scopes.add(s);
            }
        }
        return issuer.forClient(client, api, scopes);
    }
}
